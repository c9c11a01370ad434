package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.Location;
import io.berth.model.ServerSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Builds server groups and requests for the balance tests (no sockets). */
final class TestServers {
    private final List<ServerSpec> specs = new ArrayList<>();

    static TestServers backend() {
        return new TestServers();
    }

    TestServers server(String name, int weight) {
        return add(name, specs.size() + 1, weight, false, 0);
    }

    TestServers server(String name, int id, int weight) {
        return add(name, id, weight, false, 0);
    }

    TestServers backup(String name, int weight) {
        return add(name, specs.size() + 1, weight, true, 0);
    }

    TestServers maxconn(String name, int weight, int maxconn) {
        return add(name, specs.size() + 1, weight, false, maxconn);
    }

    private TestServers add(String name, int id, int weight, boolean backup, int maxconn) {
        specs.add(new ServerSpec(name, Location.NONE, id, id != specs.size() + 1, "127.0.0.1", 80, weight, backup,
                maxconn, false, null, null));
        return this;
    }

    ServerGroup group() {
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            addrs.add(InetSocketAddress.createUnresolved("127.0.0.1", 80));
        }
        return new ServerGroup("be", specs, addrs);
    }

    static final Predicate<Server> NONE = s -> false;

    static BalanceSpec spec(BalanceSpec.Algorithm algo, String arg, BalanceSpec.HashType type,
                            BalanceSpec.HashFunction fn, boolean avalanche) {
        return new BalanceSpec(algo, arg, false, 0, 0, false, type, fn, avalanche);
    }

    /** Names of {@code n} successive picks. */
    static String sequence(Balancer b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Server s = b.pick(request(null, null, Map.of()), NONE);
            sb.append(s == null ? "-" : s.name());
        }
        return sb.toString();
    }

    static BalanceRequest request(InetAddress src, String uri, Map<String, String> headers) {
        return new BalanceRequest() {
            @Override
            public InetAddress sourceAddress() {
                return src;
            }

            @Override
            public String uri() {
                return uri;
            }

            @Override
            public String header(String name) {
                for (Map.Entry<String, String> e : headers.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(name)) {
                        return e.getValue();
                    }
                }
                return null;
            }

            @Override
            public String urlParam(String name) {
                throw new AssertionError("balancers parse the URI themselves");
            }
        };
    }

    static BalanceRequest uri(String uri) {
        return request(null, uri, Map.of());
    }

    static BalanceRequest source(String ip) {
        try {
            return request(InetAddress.getByName(ip), "/", Map.of());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static BalanceRequest header(String name, String value) {
        return request(null, "/", Map.of(name, value));
    }
}
