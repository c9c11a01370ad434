package io.berth.log;

import io.berth.model.LogTargetSpec;

import java.util.List;

/** Builds the {@link AccessLog} of a proxy from its {@code log} targets. */
public final class AccessLogs {
    private AccessLogs() {
    }

    /**
     * @param proxyName used as the syslog tag context where HAProxy puts it
     * @param targets   the proxy's resolved {@code log} lines; empty gives {@link AccessLog#NONE}
     */
    public static AccessLog forProxy(String proxyName, List<LogTargetSpec> targets) {
        if (targets.isEmpty()) {
            return AccessLog.NONE;
        }
        throw new UnsupportedOperationException("log: being written");
    }
}
