package io.berth.runtime;

import io.berth.balance.Balancer;
import io.berth.log.AccessLog;
import io.berth.model.BackendSpec;
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
    /** Connections currently attached to this backend ({@code beconn}). */
    public final AtomicInteger currentConns = new AtomicInteger();
    /** Total sessions handled ({@code stot}). */
    public final AtomicLong totalConns = new AtomicLong();

    public RuntimeBackend(BackendSpec spec, ServerGroup servers, Balancer balancer, List<HttpRule> requestRules,
                          List<HttpRule> responseRules, AccessLog log) {
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

    public List<HttpRule> requestRules() {
        return requestRules;
    }

    public List<HttpRule> responseRules() {
        return responseRules;
    }

    public AccessLog log() {
        return log;
    }
}
