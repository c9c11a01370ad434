package io.berth.config;

import io.berth.model.Location;

/**
 * One error or warning about a configuration, formatted as HAProxy formats it:
 * {@code [ALERT]    (PID) : config : parsing [FILE:LINE] : MESSAGE} (or without {@code parsing [...]} for
 * post-parse errors that have no line, as in HAProxy).
 */
public record Diagnostic(Severity severity, Location location, String message) {
    public enum Severity { WARNING, ALERT }

    public static Diagnostic alert(Location location, String message) {
        return new Diagnostic(Severity.ALERT, location, message);
    }

    public static Diagnostic warning(Location location, String message) {
        return new Diagnostic(Severity.WARNING, location, message);
    }

    public boolean isError() {
        return severity == Severity.ALERT;
    }

    /** HAProxy's console line, e.g. {@code [ALERT]    (1234) : config : parsing [h.cfg:7] : unknown keyword ...}. */
    public String format(long pid) {
        String tag = severity == Severity.ALERT ? "[ALERT]  " : "[WARNING]";
        String where = location == null || location.line() == 0 ? "" : "parsing [" + location + "] : ";
        return tag + "  (" + pid + ") : config : " + where + message;
    }
}
