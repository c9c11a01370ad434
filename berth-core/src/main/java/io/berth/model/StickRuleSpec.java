package io.berth.model;

/**
 * A {@code stick on|match|store-request|store-response SAMPLE [table NAME] [if|unless COND]} line of a backend.
 * Immutable; the sample expression is compiled by the runtime.
 *
 * @param expression the sample expression as written, e.g. {@code req.hdr(x-tenant-id)}
 * @param table      the {@code table} argument, or null for the backend's own table
 * @param condition  the {@code if|unless} tail, or null
 */
public record StickRuleSpec(Location location, Kind kind, String expression, String table,
                            ConditionSpec condition) {

    /** The four rule kinds; {@code stick store} is HAProxy's alias of {@code store-request}. */
    public enum Kind {
        ON, MATCH, STORE_REQUEST, STORE_RESPONSE;

        /** Looks the key up before balancing ({@code on}, {@code match}). */
        public boolean matches() {
            return this == ON || this == MATCH;
        }

        /** Stores the server used ({@code on}, {@code store-request}, {@code store-response}). */
        public boolean stores() {
            return this != MATCH;
        }
    }

    /** The name of the table this rule uses inside backend {@code backend}. */
    public String tableName(String backend) {
        return table == null ? backend : table;
    }
}
