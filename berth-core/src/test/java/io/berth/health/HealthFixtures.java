package io.berth.health;

import io.berth.model.BackendSpec;
import io.berth.model.BalanceSpec;
import io.berth.model.CheckSpec;
import io.berth.model.HttpCheckSpec;
import io.berth.model.Location;
import io.berth.model.Mode;
import io.berth.model.ProxyOptionsSpec;
import io.berth.model.ServerSpec;
import io.berth.model.TimeoutsSpec;
import io.berth.server.ServerGroup;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builders for the model records the health tests need, and a sink that records events. */
final class HealthFixtures {
    private HealthFixtures() {
    }

    static CheckSpec check(long inter, long fastInter, long downInter, int rise, int fall) {
        return new CheckSpec(true, inter, fastInter, downInter, rise, fall, 0, null);
    }

    static ServerSpec server(String name, int port, CheckSpec check) {
        return server(name, port, check, false, false);
    }

    static ServerSpec server(String name, int port, CheckSpec check, boolean backup, boolean disabled) {
        return new ServerSpec(name, Location.NONE, 1, false, "127.0.0.1", port, 1, backup, 0, disabled, null, check);
    }

    static BackendSpec backend(String name, List<ServerSpec> servers, HttpCheckSpec http, TimeoutsSpec timeouts) {
        return new BackendSpec(name, 1, Location.NONE, Mode.HTTP, BalanceSpec.DEFAULT, servers, timeouts,
                ProxyOptionsSpec.DEFAULTS, List.of(), List.of(), List.of(), 3, http, List.of());
    }

    static TimeoutsSpec timeouts(long connect, long check) {
        long u = TimeoutsSpec.UNSET;
        return new TimeoutsSpec(connect, u, u, u, u, u, u, check, u, u, u);
    }

    static HttpCheckSpec httpchk(List<List<String>> expect) {
        return new HttpCheckSpec("GET", "/health", "HTTP/1.0", List.of(), null, expect);
    }

    static ServerGroup group(String backend, List<ServerSpec> specs) {
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (ServerSpec s : specs) {
            addrs.add(new InetSocketAddress("127.0.0.1", s.port()));
        }
        return new ServerGroup(backend, specs, addrs);
    }

    /** Records every event as "level|message". */
    static final class Events implements HealthEventSink {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void event(String level, String message) {
            lines.add(level + "|" + message);
        }

        List<String> messages() {
            return lines.stream().map(l -> l.substring(l.indexOf('|') + 1)).toList();
        }
    }
}
