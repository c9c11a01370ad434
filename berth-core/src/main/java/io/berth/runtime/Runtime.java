package io.berth.runtime;

import io.berth.model.Config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything live that one {@link Config} describes, except sockets (the data plane binds those). Built by
 * {@link RuntimeBuilder}; immutable in structure, mutable only in counters and server states.
 */
public final class Runtime {
    private final Config config;
    private final Map<String, RuntimeFrontend> frontends;
    private final Map<String, RuntimeBackend> backends;
    /** Client connections being served under this runtime, for {@code show sess}. */
    public final java.util.Set<LiveSession> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Connections open in the whole process ({@code actconn}). */
    public final AtomicInteger currentConns = new AtomicInteger();
    /** The stick tables and stick rules of this configuration (persist/stick), carried across reloads by name. */
    private final io.berth.persist.stick.StickTables stickTables;

    public Runtime(Config config, List<RuntimeFrontend> frontends, List<RuntimeBackend> backends) {
        this(config, frontends, backends, io.berth.persist.stick.StickTables.build(config, null));
    }

    public Runtime(Config config, List<RuntimeFrontend> frontends, List<RuntimeBackend> backends,
                   io.berth.persist.stick.StickTables stickTables) {
        this.config = config;
        this.stickTables = stickTables;
        Map<String, RuntimeFrontend> f = new LinkedHashMap<>();
        frontends.forEach(x -> f.put(x.name(), x));
        Map<String, RuntimeBackend> b = new LinkedHashMap<>();
        backends.forEach(x -> b.put(x.name(), x));
        this.frontends = Map.copyOf(f);
        this.backends = Map.copyOf(b);
    }

    public Config config() {
        return config;
    }

    /** The stick tables (with their entries) and compiled stick rules of this runtime. */
    public io.berth.persist.stick.StickTables stickTables() {
        return stickTables;
    }

    public RuntimeFrontend frontend(String name) {
        return frontends.get(name);
    }

    public RuntimeBackend backend(String name) {
        return backends.get(name);
    }

    /** Frontends in declaration order. */
    public List<RuntimeFrontend> frontends() {
        return config.frontends().stream().map(f -> frontends.get(f.name())).toList();
    }

    /** Backends in declaration order. */
    public List<RuntimeBackend> backends() {
        return config.backends().stream().map(b -> backends.get(b.name())).toList();
    }
}
