package io.berth.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Frames one log message the way HAProxy 2.6 sends it, checked against its real bytes on stdout and UDP:
 * <ul>
 *   <li>{@code rfc3164}: {@code <134>Nov 25 17:13:57 haproxy[5882]: MSG\n} (day space-padded)</li>
 *   <li>{@code rfc5424}: {@code <134>1 2026-11-25T17:13:57.787551+00:00 - haproxy 5882 - - MSG\n}</li>
 *   <li>{@code short}: {@code <6>MSG\n} (level only); {@code raw}: {@code MSG\n}</li>
 * </ul>
 * PRI = facility × 8 + level. Stateless; any thread.
 */
public final class SyslogFormat {
    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7");
    static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    private static final DateTimeFormatter RFC3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter RFC5424 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ENGLISH);

    private SyslogFormat() {
    }

    /** Facility number of {@code name}, or -1 when unknown. */
    public static int facility(String name) {
        return FACILITIES.indexOf(name);
    }

    /** Level number of {@code name} (0 emerg … 7 debug), or -1 when unknown. */
    public static int level(String name) {
        return LEVELS.indexOf(name);
    }

    /**
     * @param format   {@code rfc3164} (also for null), {@code rfc5424}, {@code short} or {@code raw}
     * @param facility facility number
     * @param level    level number
     * @param tag      program name, {@code haproxy} by default in HAProxy
     * @param pid      process id
     * @param now      the time stamped on the line (local time)
     */
    public static String frame(String format, int facility, int level, String tag, long pid, String message,
                               ZonedDateTime now) {
        int pri = facility * 8 + level;
        String f = format == null ? "rfc3164" : format;
        return switch (f) {
            case "raw" -> message + "\n";
            case "short" -> "<" + level + ">" + message + "\n";
            case "rfc5424" -> "<" + pri + ">1 " + RFC5424.format(now) + " - " + tag + " " + pid + " - - " + message
                    + "\n";
            default -> "<" + pri + ">" + RFC3164.format(now) + " " + tag + "[" + pid + "]: " + message + "\n";
        };
    }

    static ZonedDateTime now(ZoneId zone) {
        return ZonedDateTime.ofInstant(Instant.now(), zone);
    }
}
