package io.berth.log;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Formats a {@link TcpLogEntry} exactly as HAProxy 2.6's {@code option tcplog}:
 * {@code %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq}. Verified against
 * {@code /usr/sbin/haproxy} 2.6.12 ({@code 127.0.0.1:48564 [25/Nov/2026:17:13:57.793] tl tl/s1 1/0/2 873 -- 1/1/0/0/0 0/0}).
 * {@code %ts} is the two-character termination state; a four-character HTTP-style state is cut to two.
 * Stateless; any thread.
 */
public final class TcpLogFormat {
    private TcpLogFormat() {
    }

    public static String format(TcpLogEntry e) {
        return format(e, ZoneId.systemDefault());
    }

    public static String format(TcpLogEntry e, ZoneId zone) {
        String ts = e.terminationState();
        if (ts == null) {
            ts = "--";
        } else if (ts.length() > 2) {
            ts = ts.substring(0, 2);
        }
        StringBuilder sb = new StringBuilder(120);
        sb.append(e.clientIp()).append(':').append(e.clientPort())
                .append(" [").append(HttpLogFormat.DATE.format(Instant.ofEpochMilli(e.acceptEpochMillis()).atZone(zone)))
                .append("] ")
                .append(e.frontendName()).append(' ')
                .append(e.backendName()).append('/').append(e.serverName()).append(' ')
                .append(e.tw()).append('/').append(e.tc()).append('/').append(e.tt()).append(' ')
                .append(e.bytesRead()).append(' ')
                .append(ts).append(' ');
        HttpLogFormat.counters(sb, e.actconn(), e.feconn(), e.beconn(), e.srvconn(), e.retries(), e.redispatched());
        sb.append(' ').append(e.srvQueue()).append('/').append(e.backendQueue());
        return sb.toString();
    }
}
