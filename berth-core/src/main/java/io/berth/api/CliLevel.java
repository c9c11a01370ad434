package io.berth.api;

/**
 * Access level of a stats socket session, HAProxy's {@code ACCESS_LVL_*}: {@code user} reads, {@code operator}
 * also reads sensitive things (environment, sessions, addresses) and changes tables, {@code admin} changes
 * servers. Ordered: a session may run every command whose level is at most its own. Immutable.
 */
public enum CliLevel {
    USER("user"), OPERATOR("operator"), ADMIN("admin");

    private final String word;

    CliLevel(String word) {
        this.word = word;
    }

    /** The word written in {@code stats socket ... level X} and printed by {@code show cli level}. */
    public String word() {
        return word;
    }

    public boolean allows(CliLevel required) {
        return compareTo(required) >= 0;
    }

    /** The level named in the configuration; {@code operator} (HAProxy's default) when absent or unknown. */
    public static CliLevel parse(String word) {
        if (word == null) {
            return OPERATOR;
        }
        for (CliLevel l : values()) {
            if (l.word.equals(word)) {
                return l;
            }
        }
        return OPERATOR;
    }
}
