package io.berth.config;

import io.berth.model.GlobalSpec;
import io.berth.model.LogTargetSpec;
import io.berth.model.StatsSocketSpec;

import java.util.ArrayList;
import java.util.List;

/** The {@code global} section while it is parsed (several {@code global} sections add up). Parser thread only. */
public final class GlobalDraft {
    public int maxconn = GlobalSpec.DEFAULT_MAXCONN;
    public int nbthread;
    public final List<LogTargetSpec> logs = new ArrayList<>();
    public final List<StatsSocketSpec> statsSockets = new ArrayList<>();
    public long statsTimeoutMs = 10_000;
    public String localPeer;
    public long hardStopAfterMs = -1;

    public GlobalSpec freeze() {
        return new GlobalSpec(maxconn, nbthread, logs, statsSockets, statsTimeoutMs, localPeer, hardStopAfterMs);
    }
}
