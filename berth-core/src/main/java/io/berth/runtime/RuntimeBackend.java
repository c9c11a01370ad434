package io.berth.runtime;

import io.berth.balance.Balancer;
import io.berth.log.AccessLog;
import io.berth.model.BackendSpec;
import io.berth.persist.cookie.CookiePersistence;
import io.berth.persist.cookie.PersistRules;
import io.berth.server.ServerGroup;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A backend of one runtime: its servers, balancer and compiled rules. Shared by all event loops. */
public final class RuntimeBackend {
    private final BackendSpec spec;
    private final ServerGroup servers;
    private final Balancer balancer;
    private final List<HttpRule> requestRules;
    private final List<HttpRule> responseRules;
    private final AccessLog log;
    /** Cookie persistence (null without a {@code cookie} line) and the force/ignore-persist rules. */
    private final CookiePersistence cookie;
    private final PersistRules persistRules;
    /** The backend's {@code tcp-request content} rules ({@link TcpRules#NONE} without any). */
    private final TcpRules tcpRules;
    /** Connections currently attached to this backend ({@code beconn}). */
    public final AtomicInteger currentConns = new AtomicInteger();
    /** Total sessions handled ({@code stot}). */
    public final AtomicLong totalConns = new AtomicLong();
    /** Bytes, status classes, errors, maxima, rates and timers ({@code show stat}, stats page, Prometheus). */
    public final io.berth.server.TrafficCounters counters = new io.berth.server.TrafficCounters();

    public RuntimeBackend(BackendSpec spec, ServerGroup servers, Balancer balancer, List<HttpRule> requestRules,
                          List<HttpRule> responseRules, AccessLog log) {
        this(spec, servers, balancer, requestRules, responseRules, log, null, PersistRules.NONE);
    }

    public RuntimeBackend(BackendSpec spec, ServerGroup servers, Balancer balancer, List<HttpRule> requestRules,
                          List<HttpRule> responseRules, AccessLog log, CookiePersistence cookie,
                          PersistRules persistRules) {
        this(spec, servers, balancer, requestRules, responseRules, log, cookie, persistRules, TcpRules.NONE);
    }

    public RuntimeBackend(BackendSpec spec, ServerGroup servers, Balancer balancer, List<HttpRule> requestRules,
                          List<HttpRule> responseRules, AccessLog log, CookiePersistence cookie,
                          PersistRules persistRules, TcpRules tcpRules) {
        this.tcpRules = tcpRules;
        this.cookie = cookie;
        this.persistRules = persistRules;
        this.spec = spec;
        this.servers = servers;
        this.balancer = balancer;
        this.requestRules = List.copyOf(requestRules);
        this.responseRules = List.copyOf(responseRules);
        this.log = log;
    }

    public BackendSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public ServerGroup servers() {
        return servers;
    }

    public Balancer balancer() {
        return balancer;
    }

    /**
     * The {@code tcp-request content} rules run once a stream reaches this backend, its defaults' first (a
     * defaults section with rules never serves frontends too, so they never ran already).
     */
    public TcpRules tcpRules() {
        return tcpRules;
    }

    public List<HttpRule> requestRules() {
        return requestRules;
    }

    public List<HttpRule> responseRules() {
        return responseRules;
    }

    public AccessLog log() {
        return log;
    }

    /** The backend's cookie persistence, built with the runtime; null when it has no {@code cookie} line. */
    public CookiePersistence cookie() {
        return cookie;
    }

    /** The backend's compiled {@code force-persist}/{@code ignore-persist} rules ({@link PersistRules#NONE}). */
    public PersistRules persistRules() {
        return persistRules;
    }
}
