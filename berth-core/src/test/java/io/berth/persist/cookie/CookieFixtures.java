package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.BalanceSpec;
import io.berth.model.CookieSpec;
import io.berth.model.Location;
import io.berth.model.Mode;
import io.berth.model.ProxyOptionsSpec;
import io.berth.model.ServerSpec;
import io.berth.model.TimeoutsSpec;
import io.berth.server.ServerGroup;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Backends, cookie specs and an in-memory header store for the cookie unit tests. */
final class CookieFixtures {
    static final long NOW = 1795548388L;

    private CookieFixtures() {
    }

    static CookieSpec spec(CookieSpec.Mode mode, String... flags) {
        List<String> f = List.of(flags);
        List<String> domains = new ArrayList<>();
        List<String> attrs = new ArrayList<>();
        long idle = 0, life = 0;
        for (String s : f) {
            if (s.startsWith("domain=")) {
                domains.add(s.substring(7));
            } else if (s.startsWith("attr=")) {
                attrs.add(s.substring(5));
            } else if (s.startsWith("maxidle=")) {
                idle = Long.parseLong(s.substring(8));
            } else if (s.startsWith("maxlife=")) {
                life = Long.parseLong(s.substring(8));
            }
        }
        return new CookieSpec(Location.NONE, "SRVID", mode, f.contains("indirect"), f.contains("nocache"),
                f.contains("postonly"), f.contains("preserve"), f.contains("httponly"), f.contains("secure"),
                domains, idle, life, f.contains("dynamic"), attrs);
    }

    /** Servers s1 (cookie c1), s2 (c2), s3 (no cookie) on 127.0.0.1:19101..19103. */
    static BackendSpec backend(CookieSpec cookie, boolean persist, String key) {
        List<ServerSpec> servers = List.of(server(1, "c1"), server(2, "c2"), server(3, null));
        ProxyOptionsSpec o = ProxyOptionsSpec.DEFAULTS;
        ProxyOptionsSpec options = new ProxyOptionsSpec(o.forwardFor(), o.forwardForHeader(),
                o.forwardForExceptNetwork(), o.forwardForIfNone(), o.httpLog(), o.tcpLog(), o.connectionMode(),
                o.redispatch(), o.redispatchInterval(), o.allBackups(), persist, o.dontLogNull(),
                o.logHealthChecks());
        return new BackendSpec("be", 2, Location.NONE, Mode.HTTP, BalanceSpec.DEFAULT, servers,
                new TimeoutsSpec(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1), options, List.of(), List.of(),
                List.of(), 3, null, List.of(), cookie, key, List.of());
    }

    static ServerSpec server(int i, String cookie) {
        return new ServerSpec("s" + i, Location.NONE, i, false, "127.0.0.1", 19100 + i, 1, false, 0, false, cookie,
                null);
    }

    static ServerGroup group(BackendSpec b) {
        List<InetSocketAddress> a = new ArrayList<>();
        for (ServerSpec s : b.servers()) {
            a.add(new InetSocketAddress("127.0.0.1", s.port()));
        }
        return new ServerGroup(b.name(), b.servers(), a);
    }

    /** Headers as a multimap in insertion order (names lower case). */
    static final class Headers implements HeaderAccess {
        final Map<String, List<String>> map = new LinkedHashMap<>();

        Headers with(String name, String value) {
            add(name, value);
            return this;
        }

        @Override
        public List<String> all(String name) {
            return map.getOrDefault(name, List.of());
        }

        @Override
        public void replace(String name, List<String> values) {
            map.remove(name);
            values.forEach(v -> add(name, v));
        }

        @Override
        public void add(String name, String value) {
            map.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
    }
}
