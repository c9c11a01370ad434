package io.berth.config;

/**
 * Thrown by a keyword handler to reject its line with one HAProxy-worded message; the parser reports it as an
 * ALERT at the line's location and goes on with the next line, so every error in a file is reported.
 */
public final class ConfigException extends RuntimeException {
    private final Diagnostic.Prefix prefix;

    public ConfigException(String message) {
        this(message, Diagnostic.Prefix.PARSING);
    }

    public ConfigException(String message, Diagnostic.Prefix prefix) {
        super(message, null, false, false);
        this.prefix = prefix;
    }

    /** How the location is written in front of the message (HAProxy differs between keywords). */
    public Diagnostic.Prefix prefix() {
        return prefix;
    }
}
