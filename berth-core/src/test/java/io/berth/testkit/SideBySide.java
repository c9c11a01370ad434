package io.berth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One configuration running in real HAProxy 2.6 and in Berth, against the same backends: what a differential test
 * starts before it plays the same clients against both. Placeholders {@code ${s1}}... are the backends' ports and
 * every other one ({@code ${p_fe}}...) a free port, chosen for each side. HAProxy gets a stats socket at admin
 * level and is ready once the socket answers (it binds it with the listeners), so no probe connection counts in
 * its tables or takes a balancing turn. Berth runs its health checks only when started by {@link #startChecked}
 * (most tests want servers that stay UP whatever the probes meet).
 */
public final class SideBySide implements AutoCloseable {
    /** The defaults section most differential tests start with: HTTP mode and timeouts. */
    public static final String HTTP_DEFAULTS = """
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            """;

    private final Backends backends;
    private final Map<String, String> haproxyValues;
    private final Path socket;
    private Haproxy haproxy;
    private BerthInstance berth;
    /** Berth's health checks by backend (empty unless {@link #startChecked}), and the loop they run on. */
    private final Map<String, io.berth.health.HealthChecks> checks = new java.util.LinkedHashMap<>();
    private io.netty.channel.EventLoopGroup checkLoop;

    private SideBySide(Backends backends, Map<String, String> haproxyValues, Path socket) {
        this.backends = backends;
        this.haproxyValues = haproxyValues;
        this.socket = socket;
    }

    /**
     * Starts both; skips the calling test (with the reason) when HAProxy is not installed. The backends are
     * started by the caller (with their replies) and closed by {@link #close}.
     */
    public static SideBySide start(String config, Backends backends) {
        Haproxy.assumeInstalled();
        // substitute() adds a free port for each listener placeholder
        Map<String, String> values = new HashMap<>(backends.placeholders());
        Path dir;
        try {
            dir = Files.createTempDirectory("berth-side-by-side");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SideBySide both = new SideBySide(backends, values, dir.resolve("admin.sock"));
        try {
            String text = "global\n    stats socket " + both.socket + " level admin\n"
                    + BerthInstance.substitute(config, values);
            both.haproxy = Haproxy.start(text).awaitSocket(both.socket);
            both.berth = BerthInstance.start(config, backends);
            return both;
        } catch (RuntimeException | Error e) {
            both.close();
            throw e;
        }
    }

    /** {@link #start}, then Berth's health checks for every backend, as the berth process runs them. */
    public static SideBySide startChecked(String config, Backends backends) {
        SideBySide both = start(config, backends);
        both.checkLoop = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        for (io.berth.runtime.RuntimeBackend b : both.berth.runtime().backends()) {
            both.checks.put(b.name(), io.berth.health.HealthChecks.start(b.spec(), b.servers(), both.checkLoop,
                    io.berth.health.HealthEventSink.NONE));
        }
        return both;
    }

    /**
     * The plainest HTTP proxy: frontend {@code fe} on {@code ${p_fe}} to backend {@code be} with server {@code s1},
     * for tests about what the proxy itself does to requests.
     */
    public static SideBySide startPlainHttp(java.util.function.Function<Recorded, Reply> s1) {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(s1);
        return start(HTTP_DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:${p_fe}
                    default_backend be
                backend be
                    server s1 127.0.0.1:${s1}
                """, backends);
    }

    public Backends backends() {
        return backends;
    }

    public Haproxy haproxy() {
        return haproxy;
    }

    public BerthInstance berth() {
        return berth;
    }

    /**
     * Plays {@code play} against HAProxy's listener {@code placeholder}, then against Berth's, and asserts that
     * Berth saw exactly what HAProxy did; returns HAProxy's side, for the test's own checks.
     */
    public List<String> sameOnBoth(String placeholder, IntFunction<List<String>> play) {
        List<String> fromHaproxy = play.apply(haproxyPort(placeholder));
        List<String> fromBerth = play.apply(berthPort(placeholder));
        org.assertj.core.api.Assertions.assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        return fromHaproxy;
    }

    /** HAProxy's port for placeholder {@code name}. */
    public int haproxyPort(String name) {
        return Integer.parseInt(haproxyValues.get(name));
    }

    /** Berth's port for placeholder {@code name}. */
    public int berthPort(String name) {
        return Integer.parseInt(berth.placeholder(name));
    }

    /** One command on HAProxy's stats socket; its whole answer. */
    public String haproxyCli(String command) {
        return RuntimeApi.cli(socket, command);
    }

    /** HAProxy's {@code show table} data: key → "name=value ..." without the pointer, use= and exp=. */
    public Map<String, String> haproxyTable(String table) {
        return RuntimeApi.tableData(socket, table);
    }

    /** The same command on Berth's runtime API, at admin level, as the stats socket would answer it. */
    public String berthCli(String command) {
        return new io.berth.api.CliSession(io.berth.api.ApiCommands.registry(),
                new io.berth.api.ApiContext(berth.runtime(), checks), io.berth.api.CliLevel.ADMIN)
                .onLine(command);
    }

    /** Stops HAProxy, Berth and the backends (whatever started). */
    @Override
    public void close() {
        if (haproxy != null) {
            haproxy.close();
        }
        checks.values().forEach(io.berth.health.HealthChecks::stop);
        if (checkLoop != null) {
            checkLoop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (berth != null) {
            berth.close();
        }
        if (backends != null) {
            backends.close();
        }
    }
}
