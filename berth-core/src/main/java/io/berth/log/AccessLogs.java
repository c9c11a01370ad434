package io.berth.log;

import io.berth.model.LogTargetSpec;

import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link AccessLog} of a proxy from its {@code log} targets. Configuration thread only. */
public final class AccessLogs {
    /** HAProxy's default {@code log-tag}: the program name. */
    static final String TAG = "haproxy";

    private AccessLogs() {
    }

    /**
     * @param proxyName used as the syslog tag context where HAProxy puts it
     * @param targets   the proxy's resolved {@code log} lines; empty gives {@link AccessLog#NONE}.
     *                  {@code GLOBAL} entries are skipped (the config layer resolves {@code log global} into the
     *                  global targets)
     * @throws IllegalArgumentException for an unknown facility, level or format, or an unresolvable UDP host
     */
    public static AccessLog forProxy(String proxyName, List<LogTargetSpec> targets) {
        if (targets.isEmpty()) {
            return AccessLog.NONE;
        }
        List<ProxyLog.Target> out = new ArrayList<>();
        for (LogTargetSpec t : targets) {
            LogSink sink = switch (t.kind()) {
                case STDOUT -> StreamSink.STDOUT;
                case STDERR -> StreamSink.STDERR;
                case UDP -> new UdpSink(udpAddress(t));
                case GLOBAL -> null;
            };
            if (sink != null) {
                out.add(target(t, sink));
            }
        }
        if (out.isEmpty()) {
            return AccessLog.NONE;
        }
        return new ProxyLog(out, TAG, ProcessHandle.current().pid(), ZoneId.systemDefault());
    }

    static ProxyLog.Target target(LogTargetSpec t, LogSink sink) {
        int facility = SyslogFormat.facility(t.facility());
        if (facility < 0) {
            throw new IllegalArgumentException("log: unknown facility '" + t.facility() + "'");
        }
        int level = 7;
        if (t.level() != null) {
            level = SyslogFormat.level(t.level());
            if (level < 0) {
                throw new IllegalArgumentException("log: unknown optional log level '" + t.level() + "'");
            }
        }
        String format = t.format() == null ? "rfc3164" : t.format();
        if (!List.of("rfc3164", "rfc5424", "short", "raw").contains(format)) {
            throw new IllegalArgumentException("log: unknown log format '" + format + "'");
        }
        return new ProxyLog.Target(sink, format, facility, level);
    }

    private static InetSocketAddress udpAddress(LogTargetSpec t) {
        InetSocketAddress a = new InetSocketAddress(t.host(), t.port() == 0 ? 514 : t.port());
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("log: cannot resolve address '" + t.host() + "'");
        }
        return a;
    }
}
