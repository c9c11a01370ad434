package io.berth.model;

/**
 * One {@code log} line: {@code log stdout|stderr|ADDR[:PORT] [len N] [format F] FACILITY [LEVEL [MINLEVEL]]},
 * or {@code log global} in a proxy (represented by {@link Kind#GLOBAL}).
 *
 * @param host    UDP syslog host, null for stdout/stderr/global
 * @param port    UDP syslog port (514 by default)
 * @param format  {@code rfc3164} (default), {@code rfc5424}, {@code raw}, {@code short}
 * @param facility syslog facility name, e.g. {@code local0}
 * @param level   maximum level sent, e.g. {@code info}; null = all
 */
public record LogTargetSpec(Location location, Kind kind, String host, int port, String format, String facility, String level) {
    public enum Kind { STDOUT, STDERR, UDP, GLOBAL }
}
