package io.berth.config;

import io.berth.model.Location;

/**
 * One error or warning about a configuration, formatted as HAProxy formats it:
 * {@code [ALERT]    (PID) : config : parsing [FILE:LINE] : MESSAGE} (or without {@code parsing [...]} for
 * post-parse errors that have no line, as in HAProxy).
 *
 * @param prefix how HAProxy writes the location for this message: most keywords print
 *               {@code parsing [F:L] : }, server-line errors print {@code [F:L] : } and lexer errors
 *               {@code parsing [F:L]: }
 */
public record Diagnostic(Severity severity, Location location, String message, Prefix prefix) {
    /**
     * {@code ALERT_WARN}: printed as an ALERT but only a warning, so the configuration stays valid (HAProxy's
     * {@code ha_alert} with {@code ERR_WARN}, e.g. a named defaults used both implicitly and by {@code from}).
     */
    public enum Severity {
        WARNING, ALERT, ALERT_WARN,
        /**
         * An error found after parsing that HAProxy finds while reading the file (a rule's condition or arguments:
         * Berth compiles them once the file is read), so the check closes as HAProxy's does then: "Error(s) found
         * in configuration file", then "Fatal errors found in configuration.".
         */
        ALERT_READING,
        /** {@link #ALERT_READING} where HAProxy also stops reading ({@code ERR_ABORT}): no "Fatal errors" line. */
        ALERT_ABORT
    }

    /** The three ways HAProxy 2.6 writes a file:line in front of a message. */
    public enum Prefix {
        /** {@code parsing [F:L] : } */
        PARSING,
        /** {@code [F:L] : } (server lines, {@code 'X' not allowed in 'Y' section.}) */
        BRACKETS,
        /** {@code parsing [F:L]: } (lexer errors) */
        PARSING_TIGHT,
        /** nothing: the message already names its place (HAProxy's {@code Parsing [F:L]: ...} duplicates) */
        NONE
    }

    public Diagnostic(Severity severity, Location location, String message) {
        this(severity, location, message, Prefix.PARSING);
    }

    public static Diagnostic alert(Location location, String message) {
        return new Diagnostic(Severity.ALERT, location, message);
    }

    public static Diagnostic warning(Location location, String message) {
        return new Diagnostic(Severity.WARNING, location, message);
    }

    public boolean isError() {
        return severity == Severity.ALERT || severity == Severity.ALERT_READING || severity == Severity.ALERT_ABORT;
    }

    /** The message with its location as HAProxy prints it after {@code config : }. */
    public String text() {
        if (location == null || location.line() == 0) {
            return message;
        }
        return switch (prefix) {
            case PARSING -> "parsing [" + location + "] : " + message;
            case BRACKETS -> "[" + location + "] : " + message;
            case PARSING_TIGHT -> "parsing [" + location + "]: " + message;
            case NONE -> message;
        };
    }

    /** HAProxy's console line, e.g. {@code [ALERT]    (1234) : config : parsing [h.cfg:7] : unknown keyword ...}. */
    public String format(long pid) {
        String tag = severity == Severity.WARNING ? "[WARNING]" : "[ALERT]  ";
        return tag + "  (" + pid + ") : config : " + text();
    }
}
