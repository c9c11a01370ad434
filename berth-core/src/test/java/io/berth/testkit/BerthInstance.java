package io.berth.testkit;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.log.AccessLog;
import io.berth.log.HttpLogEntry;
import io.berth.log.TcpLogEntry;
import io.berth.proxy.listen.ProxyServer;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBuilder;
import io.berth.runtime.RuntimeFrontend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth running in this JVM for a test. Built from a config text block where {@code ${s1}} stands for backend
 * s1's port and any other {@code ${name}} for a free port chosen here (read it back with {@link #placeholder}):
 * <pre>
 *   try (BerthInstance berth = BerthInstance.start("""
 *           frontend fe
 *             bind 127.0.0.1:${fe}
 *             default_backend be
 *           backend be
 *             server s1 127.0.0.1:${s1}
 *           """, backends)) { ... berth.port("fe") ... }
 * </pre>
 * Every frontend's access log is also recorded ({@link #httpLog()}, {@link #tcpLog()}). Two event loops.
 */
public final class BerthInstance implements AutoCloseable {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private final ProxyServer proxy;
    private final Runtime runtime;
    private final Map<String, String> placeholders;
    private final List<HttpLogEntry> httpLog = new CopyOnWriteArrayList<>();
    private final List<TcpLogEntry> tcpLog = new CopyOnWriteArrayList<>();

    private BerthInstance(Runtime runtime, Map<String, String> placeholders) {
        this.runtime = recording(runtime);
        this.placeholders = placeholders;
        this.proxy = ProxyServer.start(this.runtime, 2);
    }

    /** Parses and builds {@code config} (placeholders filled), then starts serving. Fails on any ALERT. */
    public static BerthInstance start(String config, Backends backends) {
        Map<String, String> values = new HashMap<>(backends == null ? Map.of() : backends.placeholders());
        String text = substitute(config, values);
        ConfigLoader.Result result = ConfigLoader.parse(Subsystems.keywords(), "test.cfg", text);
        if (!result.ok()) {
            throw new IllegalArgumentException("config refused: " + result.texts() + "\n" + text);
        }
        try {
            return new BerthInstance(RuntimeBuilder.build(result.config(), null), values);
        } catch (io.berth.runtime.RuntimeBuildException e) {
            throw new IllegalArgumentException("runtime refused: " + e.diagnostics(), e);
        }
    }

    /** Serves a runtime built by the test itself. */
    public static BerthInstance start(Runtime runtime) {
        return new BerthInstance(runtime, Map.of());
    }

    /** Replaces {@code ${name}} by {@code values[name]}, choosing a free port for names not given. */
    public static String substitute(String config, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(config);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.computeIfAbsent(m.group(1), k -> String.valueOf(freePort()));
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Ports {@link #freePort} handed out in this JVM. */
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port that was free a moment ago (bind 0, close), never one handed out before in this JVM: the kernel may
     * give the same port to two binds in a row once the first is closed, and two listeners of one HAProxy on one
     * port share its connections (SO_REUSEPORT) instead of failing.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (GIVEN.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Runtime recording(Runtime rt) {
        List<RuntimeFrontend> fes = new ArrayList<>();
        for (RuntimeFrontend f : rt.frontends()) {
            AccessLog inner = f.log();
            AccessLog tee = new AccessLog() {
                @Override
                public void http(HttpLogEntry entry) {
                    httpLog.add(entry);
                    inner.http(entry);
                }

                @Override
                public void tcp(TcpLogEntry entry) {
                    tcpLog.add(entry);
                    inner.tcp(entry);
                }

                @Override
                public void event(String level, String message) {
                    inner.event(level, message);
                }
            };
            fes.add(new RuntimeFrontend(f.spec(), f.routes(), f.defaultBackend(), f.requestRules(), f.responseRules(),
                    tee, f.tcpRules()));
        }
        return new Runtime(rt.config(), fes, rt.backends());
    }

    public int port(String frontend) {
        return proxy.port(frontend);
    }

    /** The value a {@code ${name}} placeholder received. */
    public String placeholder(String name) {
        return placeholders.get(name);
    }

    public ProxyServer proxy() {
        return proxy;
    }

    public Runtime runtime() {
        return runtime;
    }

    public List<HttpLogEntry> httpLog() {
        return List.copyOf(httpLog);
    }

    public List<TcpLogEntry> tcpLog() {
        return List.copyOf(tcpLog);
    }

    @Override
    public void close() {
        proxy.stop(Duration.ofSeconds(1));
    }

    /**
     * A stick table's entries as HAProxy's {@code show table} prints their data: key → "gpc0=0 conn_cnt=7 ..."
     * (stored types in order, rates with their period), sorted by key text.
     */
    public java.util.Map<String, String> tableData(String name) {
        io.berth.persist.stick.StickTable t = runtime.stickTables().table(name);
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        t.forEach(io.berth.persist.stick.StickClock.now(), (k, e, exp) -> {
            StringBuilder sb = new StringBuilder();
            for (io.berth.persist.stick.StickDataType d : t.layout().stored()) {
                sb.append(sb.length() == 0 ? "" : " ").append(d.keyword());
                if (d.isRate()) {
                    sb.append('(').append(t.layout().period(d)).append(')');
                }
                sb.append('=').append(e.get(d));
            }
            out.put(io.berth.persist.stick.StickKeys.format(k, t.spec().type(), t.spec().keySize()), sb.toString());
        });
        return out;
    }
}
