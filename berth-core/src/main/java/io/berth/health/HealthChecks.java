package io.berth.health;

import io.berth.model.BackendSpec;
import io.berth.model.HttpCheckSpec;
import io.berth.model.ServerSpec;
import io.berth.model.TimeoutsSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running health checks of one backend: one {@link ServerCheck} per server with {@code check}, each pinned
 * to an event loop of the given group (round-robin), none with a thread of its own. Built by the runtime
 * (lead) from the model; {@link #stop()} on reload or shutdown. Thread-safe: states are immutable snapshots.
 *
 * <p>First checks are spread as HAProxy's {@code start_checks} (src/check.c): the i-th checked server (from 0)
 * of n starts after mininter × i / n, where mininter is the smallest {@code inter} of at least 1000 ms among
 * the servers, raised to the server's own starting interval. HAProxy counts positions over every proxy of the
 * process; here they are counted per backend.
 */
public final class HealthChecks {
    /** HAProxy's SRV_CHK_INTER_THRES: shorter intervals do not dictate the spread of the others. */
    private static final long INTER_THRES_MS = 1000;

    /** Checked servers of every running backend, for the data plane's passive-health reports. */
    private static final Map<Server, ServerCheck> OBSERVED = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, ServerCheck> checks;
    private final ServerGroup group;

    private HealthChecks(Map<String, ServerCheck> checks, ServerGroup group) {
        this.checks = checks;
        this.group = group;
    }

    /** {@link #start(BackendSpec, ServerGroup, EventLoopGroup, HealthEventSink, HealthOptions)} with defaults. */
    public static HealthChecks start(BackendSpec backend, ServerGroup group, EventLoopGroup loops, HealthEventSink sink) {
        return start(backend, group, loops, sink, HealthOptions.DEFAULTS);
    }

    /**
     * Starts checking every server of {@code group} whose spec has {@code check}. Servers without it are left
     * alone (always UP for the checks). Plain TCP connect checks unless {@code backend.httpCheck()} is set.
     *
     * @throws IllegalArgumentException when an {@code http-check expect} rule cannot be compiled
     */
    public static HealthChecks start(BackendSpec backend, ServerGroup group, EventLoopGroup loops,
                                     HealthEventSink sink, HealthOptions options) {
        HttpCheckSpec http = backend.httpCheck();
        HttpCheckRequest request = http == null ? null : HttpCheckRequest.of(http);
        List<HttpExpect> expects = new ArrayList<>();
        CheckConnect connect = null;
        if (http != null) {
            for (List<String> words : http.expect()) {
                if (CheckConnect.isRow(words)) {
                    connect = CheckConnect.parse(words.subList(1, words.size())); // the parser allows one, first
                } else if (HttpCheckSteps.isExpect(words)) {
                    expects.add(HttpExpect.parse(words));
                }
            }
            if (expects.isEmpty()) {
                expects.add(HttpExpect.defaultRule());
            }
        }
        TimeoutsSpec t = backend.timeouts();
        long timeoutCheck = t.check() == TimeoutsSpec.UNSET ? -1 : t.check();
        long timeoutConnect = t.connect() == TimeoutsSpec.UNSET ? -1 : t.connect();

        List<Server> checked = new ArrayList<>();
        long minInter = 0;
        for (Server s : group.all()) {
            ServerSpec spec = s.spec();
            if (spec.check() != null && spec.check().enabled()) {
                checked.add(s);
                long inter = spec.check().interMs();
                if (inter >= INTER_THRES_MS && (minInter == 0 || inter < minInter)) {
                    minInter = inter;
                }
            }
        }
        Map<String, ServerCheck> checks = new LinkedHashMap<>();
        for (int pos = 0; pos < checked.size(); pos++) {
            Server s = checked.get(pos);
            EventLoop loop = loops.next();
            ServerHealth health = new ServerHealth(s, sink, options);
            CheckProbe.Plan plan = new CheckProbe.Plan(request, List.copyOf(expects), s.spec().check().interMs(),
                    timeoutConnect, timeoutCheck, checkTls(s.spec(), connect), connect);
            ServerCheck check = new ServerCheck(loop, channelClassFor(loop), health, plan);
            checks.put(s.name(), check);
            if (s.spec().check().slowstartMs() > 0 && dynamicWeights(backend)) {
                health.slowStart(new SlowStart(loop, s, s.spec().check().slowstartMs()));
            }
            OBSERVED.put(s, check);
            long own = Math.max(minInter, health.nextInterval());
            check.start(own * pos / checked.size());
        }
        // Admin changes (runtime API: MAINT on/off) pause or resume the checks on the check's own loop.
        group.onChange(() -> {
            for (ServerCheck c : checks.values()) {
                if (c.health().server().isAdminMaint() != c.health().isPaused()) {
                    c.adminChanged();
                }
            }
        });
        return new HealthChecks(Collections.unmodifiableMap(checks), group);
    }

    /**
     * TLS for a server's checks under an {@code http-check connect} rule (null: the implicit connect, see
     * {@link #checkTls(ServerSpec)}); null for clear checks.
     */
    static io.berth.ssl.ServerTls checkTls(ServerSpec spec, CheckConnect connect) {
        if (connect == null) {
            return checkTls(spec);
        }
        // src/tcpcheck.c: ssl forces TLS, default keeps the server's check transport, anything else is clear text
        if (connect.ssl()) {
            return io.berth.ssl.ServerTls.of(spec.tls());
        }
        return connect.isDefault() ? checkTls(spec) : null;
    }

    /**
     * TLS for a server's checks: {@code check-ssl}, or {@code ssl} when neither {@code port} nor {@code addr}
     * sends the checks elsewhere (HAProxy 2.6's default for {@code ssl} servers); null for clear checks.
     */
    static io.berth.ssl.ServerTls checkTls(ServerSpec spec) {
        var tls = spec.tls();
        boolean sameEndpoint = spec.check().port() == 0 && spec.check().addr() == null;
        return tls.checkSsl() || tls.ssl() && sameEndpoint ? io.berth.ssl.ServerTls.of(tls) : null;
    }

    /**
     * Passive health ({@code observe layer4|layer7}): the data plane reports what it saw of an exchange with
     * {@code server}. Costs one field test for a server without {@code observe}; otherwise a few atomics, and the
     * {@code on-error} action, when the error limit is reached, runs on the server's check loop. A server without
     * {@code check} is not observed (its health has no counter to act on). Any thread.
     */
    public static void observe(Server server, Observation event) {
        if (server == null || server.spec().check().observe() == io.berth.model.CheckSpec.Observe.NONE) {
            return;
        }
        ServerCheck c = OBSERVED.get(server);
        if (c != null) {
            c.observe(event);
        }
    }

    /**
     * HAProxy's BE_LB_PROP_DYN: weights can change at run time (so {@code slowstart} ramps) for every algorithm but
     * static-rr and map-based hashing.
     */
    static boolean dynamicWeights(BackendSpec backend) {
        var b = backend.balance();
        return switch (b.algorithm()) {
            case STATIC_RR -> false;
            case SOURCE, URI, URL_PARAM, HDR -> b.hashType() == io.berth.model.BalanceSpec.HashType.CONSISTENT;
            default -> true;
        };
    }

    /** Epoll channels on an epoll loop, NIO otherwise. */
    static Class<? extends SocketChannel> channelClassFor(EventLoop loop) {
        if (loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)) {
            return EpollSocketChannel.class;
        }
        return NioSocketChannel.class;
    }

    /** The latest check state of a checked server, or empty when it has no {@code check}. */
    public Optional<CheckState> state(String server) {
        ServerCheck c = checks.get(server);
        return c == null ? Optional.empty() : Optional.of(c.health().snapshot());
    }

    /**
     * {@code enable health} / {@code disable health} for one server; false when it has no check here. Any thread.
     */
    public boolean setChecksEnabled(String server, boolean enabled) {
        ServerCheck c = checks.get(server);
        if (c == null) {
            return false;
        }
        c.health().setChecksEnabled(enabled);
        return true;
    }

    /** True unless {@code disable health} suspended the server's checks (or it has none). */
    public boolean checksEnabled(String server) {
        ServerCheck c = checks.get(server);
        return c == null || c.health().checksEnabled();
    }

    /**
     * {@code set server health up|down} on a checked server: sets its check counter to the top or to 0 and marks
     * it UP or DOWN on its event loop, waiting for it (at most a second); false when it has no check here. Any
     * thread but the check's event loop.
     */
    public boolean forceHealth(String server, boolean up) {
        ServerCheck c = checks.get(server);
        if (c == null) {
            return false;
        }
        c.onLoop(() -> c.health().force(up));
        return true;
    }

    /**
     * Waits (at most a second) until the server's check loop has applied the admin changes made before this call
     * (they are handed to it as tasks, in order). Any thread but that loop.
     */
    public void settle(String server) {
        ServerCheck c = checks.get(server);
        if (c != null) {
            c.onLoop(() -> { });
        }
    }

    /** Latest states of every checked server, declaration order. */
    public List<CheckState> states() {
        List<CheckState> out = new ArrayList<>(checks.size());
        for (ServerCheck c : checks.values()) {
            out.add(c.health().snapshot());
        }
        return out;
    }

    /** Stops every check of this backend; probes in flight are dropped. Idempotent, any thread. */
    public void stop() {
        for (ServerCheck c : checks.values()) {
            c.stop();
            OBSERVED.remove(c.health().server(), c);
        }
        ServerSessions.forget(group.all());
    }
}
