package io.berth.model;

import java.util.List;

/**
 * The {@code global} section.
 *
 * @param maxconn        process-wide connection limit ({@code maxconn}); HAProxy's default when unset
 * @param nbthread       number of event loops; 0 = one per core
 * @param logs           {@code log} targets
 * @param statsSockets   {@code stats socket} lines (served by the runtime API)
 * @param statsTimeoutMs {@code stats timeout}, default 10 s
 * @param localPeer      {@code localpeer}, or null
 * @param hardStopAfterMs {@code hard-stop-after}, or -1 when unset
 */
public record GlobalSpec(int maxconn, int nbthread, List<LogTargetSpec> logs, List<StatsSocketSpec> statsSockets,
                         long statsTimeoutMs, String localPeer, long hardStopAfterMs) {
    public static final int DEFAULT_MAXCONN = 4096;

    public GlobalSpec {
        logs = List.copyOf(logs);
        statsSockets = List.copyOf(statsSockets);
    }

    public static GlobalSpec defaults() {
        return new GlobalSpec(DEFAULT_MAXCONN, 0, List.of(), List.of(), 10_000, null, -1);
    }
}
