package io.berth.log;

import java.time.ZoneId;
import java.util.List;

/**
 * The {@link AccessLog} of one proxy: its {@code log} targets, each a sink with a format, a facility and a
 * maximum level. Traffic lines are sent at {@code info}, event lines at the level given; a target whose level
 * is lower (more severe) than the line's does not get it. Immutable; called on event loops.
 */
final class ProxyLog implements AccessLog {
    /** HAProxy's log level for traffic lines ({@code info}). */
    static final int INFO = 6;

    /** One resolved target. */
    record Target(LogSink sink, String format, int facility, int maxLevel) {
    }

    private final Target[] targets;
    private final String tag;
    private final long pid;
    private final ZoneId zone;

    ProxyLog(List<Target> targets, String tag, long pid, ZoneId zone) {
        this.targets = targets.toArray(new Target[0]);
        this.tag = tag;
        this.pid = pid;
        this.zone = zone;
    }

    @Override
    public void http(HttpLogEntry entry) {
        send(INFO, HttpLogFormat.format(entry, zone));
    }

    @Override
    public void tcp(TcpLogEntry entry) {
        send(INFO, TcpLogFormat.format(entry, zone));
    }

    /** @param level a syslog level name ({@code alert}, {@code notice}, ...); unknown names count as info */
    @Override
    public void event(String level, String message) {
        int l = SyslogFormat.level(level);
        send(l < 0 ? INFO : l, message);
    }

    private void send(int level, String message) {
        var now = SyslogFormat.now(zone);
        for (Target t : targets) {
            if (level <= t.maxLevel()) {
                t.sink().send(SyslogFormat.frame(t.format(), t.facility(), level, tag, pid, message, now));
            }
        }
    }
}
