package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.BalanceSpec.Algorithm;
import io.berth.model.ProxyOptionsSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.berth.balance.TestServers.NONE;
import static io.berth.balance.TestServers.backend;
import static io.berth.balance.TestServers.sequence;
import static org.assertj.core.api.Assertions.assertThat;

/** roundrobin and static-rr sequences, as observed on HAProxy 2.6 (reference §3.1, experiment e12). */
class RoundRobinSequenceTest {

    private static Balancer create(Algorithm algo, ServerGroup g) {
        return Balancers.create(new BalanceSpec(algo, null, false, 0, 0, false, BalanceSpec.HashType.MAP_BASED,
                BalanceSpec.HashFunction.SDBM, false), ProxyOptionsSpec.DEFAULTS, g);
    }

    @Test
    void roundRobinWeighted321IsAbacab() {
        ServerGroup g = backend().server("a", 3).server("b", 2).server("c", 1).group();
        assertThat(sequence(create(Algorithm.ROUNDROBIN, g), 18)).isEqualTo("abacab".repeat(3));
    }

    @Test
    void roundRobinEqualWeightsIsAbc() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        assertThat(sequence(create(Algorithm.ROUNDROBIN, g), 9)).isEqualTo("abcabcabc");
    }

    @Test
    void staticRoundRobinWeighted321IsAababc() {
        ServerGroup g = backend().server("a", 3).server("b", 2).server("c", 1).group();
        assertThat(sequence(create(Algorithm.STATIC_RR, g), 12)).isEqualTo("aababc".repeat(2));
    }

    @Test
    void staticRoundRobinDividesWeightsByTheirGcd() {
        ServerGroup g = backend().server("a", 30).server("b", 20).server("c", 10).group();
        assertThat(sequence(create(Algorithm.STATIC_RR, g), 6)).isEqualTo("aababc");
    }

    @Test
    void serverInMaintenanceIsSkippedAndComesBack() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        Balancer rr = create(Algorithm.ROUNDROBIN, g);
        assertThat(sequence(rr, 3)).isEqualTo("abc");
        g.byName("b").setAdminMaint(true);
        assertThat(sequence(rr, 6)).isEqualTo("acacac");
        g.byName("b").setAdminMaint(false);
        // HAProxy places the returning server after the current position: it is not starved nor favoured
        String after = sequence(rr, 30);
        assertThat(after.chars().filter(c -> c == 'b').count()).isEqualTo(10);
    }

    @Test
    void weightZeroServerTakesNothing() {
        ServerGroup g = backend().server("a", 1).server("b", 0).server("c", 1).group();
        assertThat(sequence(create(Algorithm.ROUNDROBIN, g), 4)).isEqualTo("acac");
        assertThat(sequence(create(Algorithm.STATIC_RR, g), 4)).isEqualTo("acac");
    }

    @Test
    void weightChangeAtRuntimeChangesTheShare() {
        ServerGroup g = backend().server("a", 1).server("b", 1).group();
        Balancer rr = create(Algorithm.ROUNDROBIN, g);
        sequence(rr, 2);
        g.byName("a").setWeight(3);
        String s = sequence(rr, 40);
        assertThat(s.chars().filter(c -> c == 'a').count()).isBetween(29L, 31L);
    }

    @Test
    void excludedServerIsSkippedUnlessItIsTheOnlyOne() {
        ServerGroup g = backend().server("a", 1).server("b", 1).group();
        Balancer rr = create(Algorithm.ROUNDROBIN, g);
        Server a = g.byName("a");
        assertThat(rr.pick(TestServers.uri("/"), s -> s == a).name()).isEqualTo("b");
        assertThat(rr.pick(TestServers.uri("/"), s -> s == a).name()).isEqualTo("b");
        g.byName("b").setAdminMaint(true);
        assertThat(rr.pick(TestServers.uri("/"), s -> s == a)).isSameAs(a);
    }

    @Test
    void noUsableServerGivesNull() {
        ServerGroup g = backend().server("a", 1).group();
        g.byName("a").setHealthDown(true);
        assertThat(create(Algorithm.ROUNDROBIN, g).pick(TestServers.uri("/"), NONE)).isNull();
        assertThat(create(Algorithm.STATIC_RR, g).pick(TestServers.uri("/"), NONE)).isNull();
        assertThat(create(Algorithm.LEASTCONN, g).pick(TestServers.uri("/"), NONE)).isNull();
    }

    @Test
    void concurrentPicksKeepTheWeightedShares() throws Exception {
        ServerGroup g = backend().server("a", 3).server("b", 2).server("c", 1).group();
        Balancer rr = create(Algorithm.ROUNDROBIN, g);
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        int threads = 4;
        int perThread = 6000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    counts.computeIfAbsent(rr.pick(TestServers.uri("/"), NONE).name(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
            });
            th.start();
            ts.add(th);
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
        Map<String, Integer> plain = new HashMap<>();
        counts.forEach((k, v) -> plain.put(k, v.get()));
        // 24000 picks over a 6-slot cycle: exact shares, because every pick is serialized
        assertThat(plain).isEqualTo(Map.of("a", 12000, "b", 8000, "c", 4000));
    }
}
