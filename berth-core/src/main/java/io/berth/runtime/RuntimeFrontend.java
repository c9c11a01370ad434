package io.berth.runtime;

import io.berth.log.AccessLog;
import io.berth.model.FrontendSpec;
import io.berth.sample.Condition;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A frontend of one runtime: its routing (use_backend/default_backend), rules and log. */
public final class RuntimeFrontend {
    /** A compiled {@code use_backend}. */
    public record Route(Condition condition, RuntimeBackend backend) {
    }

    private final FrontendSpec spec;
    private final List<Route> routes;
    private final RuntimeBackend defaultBackend;
    private final List<HttpRule> requestRules;
    private final List<HttpRule> responseRules;
    private final AccessLog log;
    /** The compiled {@code tcp-request} rules ({@link TcpRules#NONE} without any). */
    private final TcpRules tcpRules;
    private final io.berth.model.CaptureSpec[] requestCaptures;
    private final io.berth.model.CaptureSpec[] responseCaptures;
    /** Connections currently open on this frontend ({@code feconn}). */
    public final AtomicInteger currentConns = new AtomicInteger();
    public final AtomicLong totalConns = new AtomicLong();
    /** Sessions: connections the {@code tcp-request connection|session} rules let through ({@code stot}). */
    public final AtomicLong totalSessions = new AtomicLong();
    public final AtomicLong totalRequests = new AtomicLong();
    /** Bytes, status classes, denials, maxima and rates ({@code show stat}, stats page, Prometheus). */
    public final io.berth.server.TrafficCounters counters = new io.berth.server.TrafficCounters();

    public RuntimeFrontend(FrontendSpec spec, List<Route> routes, RuntimeBackend defaultBackend,
                           List<HttpRule> requestRules, List<HttpRule> responseRules, AccessLog log,
                           TcpRules tcpRules) {
        this.tcpRules = tcpRules;
        this.spec = spec;
        this.routes = List.copyOf(routes);
        this.defaultBackend = defaultBackend;
        this.requestRules = List.copyOf(requestRules);
        this.responseRules = List.copyOf(responseRules);
        this.log = log;
        this.requestCaptures = spec.captures().stream().filter(c -> !c.response())
                .toArray(io.berth.model.CaptureSpec[]::new);
        this.responseCaptures = spec.captures().stream().filter(io.berth.model.CaptureSpec::response)
                .toArray(io.berth.model.CaptureSpec[]::new);
    }

    /** {@code capture request header}s, declaration order (empty: none); split once here, read per request. */
    public io.berth.model.CaptureSpec[] requestCaptures() {
        return requestCaptures;
    }

    /** {@code capture response header}s, declaration order (empty: none). */
    public io.berth.model.CaptureSpec[] responseCaptures() {
        return responseCaptures;
    }

    public FrontendSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** use_backend rules in order; the first whose condition holds wins. */
    public List<Route> routes() {
        return routes;
    }

    /** The default backend, or null (requests then get 503). */
    public RuntimeBackend defaultBackend() {
        return defaultBackend;
    }

    public List<HttpRule> requestRules() {
        return requestRules;
    }

    public List<HttpRule> responseRules() {
        return responseRules;
    }

    /** The {@code tcp-request connection|session|content} rules, compiled. */
    public TcpRules tcpRules() {
        return tcpRules;
    }

    public AccessLog log() {
        return log;
    }
}
