package io.berth.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats an {@link HttpLogEntry} exactly as HAProxy 2.6's {@code option httplog}:
 * {@code %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r}
 * ({@code %hr %hs} only with header captures).
 * Verified field by field against {@code /usr/sbin/haproxy} 2.6.12 (e.g.
 * {@code 127.0.0.1:36752 [25/Nov/2026:17:13:57.781] fe be/s1 0/0/0/4/4 404 500 - - ---- 1/1/0/0/0 0/0 "GET /x?q=1 HTTP/1.1"}).
 * Stateless; any thread.
 */
public final class HttpLogFormat {
    /** {@code [%tr]}: day/month/year:time.millis in local time, English month abbreviations. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ENGLISH);

    private HttpLogFormat() {
    }

    /** The line in the JVM's default time zone, as HAProxy uses the process's local time. */
    public static String format(HttpLogEntry e) {
        return format(e, ZoneId.systemDefault());
    }

    public static String format(HttpLogEntry e, ZoneId zone) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(e.clientIp()).append(':').append(e.clientPort())
                .append(" [").append(DATE.format(Instant.ofEpochMilli(e.acceptEpochMillis()).atZone(zone))).append("] ")
                .append(e.frontendName()).append(' ')
                .append(e.backendName()).append('/').append(e.serverName()).append(' ')
                .append(e.tr()).append('/').append(e.tw()).append('/').append(e.tc()).append('/')
                .append(e.tresp()).append('/').append(e.ta()).append(' ')
                .append(e.status()).append(' ')
                .append(e.bytesRead()).append(' ')
                .append(dash(e.capturedRequestCookie())).append(' ')
                .append(dash(e.capturedResponseCookie())).append(' ')
                .append(e.terminationState()).append(' ');
        counters(sb, e.actconn(), e.feconn(), e.beconn(), e.srvconn(), e.retries(), e.redispatched());
        sb.append(' ').append(e.srvQueue()).append('/').append(e.backendQueue());
        if (e.capturedHeaders() != null) {
            sb.append(' ').append(e.capturedHeaders());
        }
        sb.append(" \"").append(e.requestLine() == null ? "<BADREQ>" : e.requestLine()).append('"');
        return sb.toString();
    }

    /** {@code %ac/%fc/%bc/%sc/%rc}: a redispatched stream shows its retries as {@code +N}. */
    static void counters(StringBuilder sb, int ac, int fc, int bc, int sc, int retries, boolean redispatched) {
        sb.append(ac).append('/').append(fc).append('/').append(bc).append('/').append(sc).append('/');
        if (redispatched) {
            sb.append('+');
        }
        sb.append(retries);
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
