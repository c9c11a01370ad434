package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.Location;
import io.berth.model.ProxyOptionsSpec;
import io.berth.model.ServerSpec;
import io.berth.server.ServerGroup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Lookup cost of hash-based balancing: consistent ring (nearest of weight×16 points, binary search) versus the
 * map-based table ({@code hash % tot_weight}), for N servers of weight 1, plus a whole {@code pick()} for
 * {@code balance uri} (hashing included). Keys are precomputed so only the lookup is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ConsistentHashBenchmark {
    @Param({"10", "100"})
    public int servers;

    private HashBalancer ring;
    private HashBalancer map;
    private Balancer uri;
    private int[] keys;
    private BalanceRequest[] requests;
    private int i;

    @Setup
    public void setup() {
        ring = (HashBalancer) Balancers.create(spec(BalanceSpec.Algorithm.SOURCE, BalanceSpec.HashType.CONSISTENT),
                ProxyOptionsSpec.DEFAULTS, group());
        map = (HashBalancer) Balancers.create(spec(BalanceSpec.Algorithm.SOURCE, BalanceSpec.HashType.MAP_BASED),
                ProxyOptionsSpec.DEFAULTS, group());
        uri = Balancers.create(spec(BalanceSpec.Algorithm.URI, BalanceSpec.HashType.CONSISTENT),
                ProxyOptionsSpec.DEFAULTS, group());
        SplittableRandom r = new SplittableRandom(1);
        keys = new int[4096];
        requests = new BalanceRequest[4096];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = r.nextInt();
            String path = "/static/" + r.nextInt(1_000_000) + "/app.js?v=3";
            requests[k] = new BalanceRequest() {
                public java.net.InetAddress sourceAddress() {
                    return null;
                }

                public String uri() {
                    return path;
                }

                public String header(String name) {
                    return null;
                }

                public String urlParam(String name) {
                    return null;
                }
            };
        }
    }

    @Benchmark
    public Object ringLookup() {
        return ring.serverForKey(keys[i++ & 4095]);
    }

    @Benchmark
    public Object mapLookup() {
        return map.serverForKey(keys[i++ & 4095]);
    }

    @Benchmark
    public Object uriPickConsistent() {
        return uri.pick(requests[i++ & 4095], s -> false);
    }

    private ServerGroup group() {
        List<ServerSpec> specs = new ArrayList<>();
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            specs.add(new ServerSpec("s" + s, Location.NONE, s + 1, false, "127.0.0.1", 80, 1, false, 0, false, null,
                    null));
            addrs.add(InetSocketAddress.createUnresolved("127.0.0.1", 80));
        }
        return new ServerGroup("bench", specs, addrs);
    }

    private static BalanceSpec spec(BalanceSpec.Algorithm a, BalanceSpec.HashType t) {
        return new BalanceSpec(a, null, false, 0, 0, false, t, BalanceSpec.HashFunction.SDBM,
                t == BalanceSpec.HashType.CONSISTENT);
    }
}
