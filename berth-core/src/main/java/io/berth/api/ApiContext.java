package io.berth.api;

import io.berth.health.CheckState;
import io.berth.health.HealthChecks;
import io.berth.model.GlobalSpec;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the runtime API commands act on: the current {@link Runtime} and its health checks, swapped as a pair on
 * reload through one volatile reference, plus the little state the API itself owns (process start time, the
 * check counter of unchecked servers). Shared by every socket thread; thread-safe.
 */
public final class ApiContext {
    /** One runtime and the health checks of its backends (backend name → checks). */
    public record Target(Runtime runtime, Map<String, HealthChecks> checks) {
        public Target {
            checks = Map.copyOf(checks);
        }
    }

    private volatile Target target;
    private final long startMs = System.currentTimeMillis();
    /**
     * The check counter HAProxy keeps even for servers without {@code check}, changed only by the CLI: rise at
     * start (0 when {@code disabled}), 0 on entering maintenance or {@code health down} (and it stays 0 when
     * maintenance ends), rise+fall-1 after {@code health up}.
     */
    private final Map<Server, Integer> uncheckedHealth = new ConcurrentHashMap<>();

    public ApiContext(Runtime runtime, Map<String, HealthChecks> checks) {
        this.target = new Target(runtime, checks);
    }

    /** Publishes a new runtime (reload); commands already running finish on the old one. Any thread. */
    public void swap(Runtime runtime, Map<String, HealthChecks> checks) {
        this.target = new Target(runtime, checks);
    }

    public Runtime runtime() {
        return target.runtime();
    }

    public GlobalSpec global() {
        return target.runtime().config().global();
    }

    /** {@code show peers [section]}: set by the process running peers; null answer = no such section. */
    private volatile java.util.function.Function<String, String> peers = section -> section.isEmpty() ? "" : null;

    /** Installs what {@code show peers} prints (the process's live peers sections). Any thread. */
    public void peers(java.util.function.Function<String, String> describe) {
        this.peers = describe;
    }

    java.util.function.Function<String, String> peers() {
        return peers;
    }

    public long startMs() {
        return startMs;
    }

    /** The latest check state of a server with {@code check}, or empty. */
    public Optional<CheckState> check(Server s) {
        HealthChecks hc = target.checks().get(s.group().backendName());
        return hc == null ? Optional.empty() : hc.state(s.name());
    }

    /** The health checks of the server's backend in the current runtime, or null. */
    HealthChecks checks(Server s) {
        return target.checks().get(s.group().backendName());
    }

    /** False after {@code disable health} on that server (HAProxy's CHK_ST_ENABLED cleared). */
    boolean checksEnabled(Server s) {
        HealthChecks hc = checks(s);
        return hc == null || hc.checksEnabled(s.name());
    }

    /** True when the server has {@code check} in the configuration (HAProxy's CHK_ST_CONFIGURED). */
    static boolean checked(Server s) {
        return s.spec().check() != null && s.spec().check().enabled();
    }

    int uncheckedHealth(Server s, int rise) {
        return uncheckedHealth.getOrDefault(s, s.spec().disabled() ? 0 : rise);
    }

    void setUncheckedHealth(Server s, int health) {
        uncheckedHealth.put(s, health);
    }

    /** The backend of that name in the current runtime, or null. */
    RuntimeBackend backend(String name) {
        return target.runtime().backend(name);
    }
}
