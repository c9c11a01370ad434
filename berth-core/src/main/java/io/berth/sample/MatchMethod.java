package io.berth.sample;

import java.util.Locale;

/**
 * HAProxy's ACL match methods ({@code -m NAME}, doc/configuration.txt §7.1.3), and the one each ACL keyword
 * implies. Immutable.
 */
enum MatchMethod {
    FOUND, BOOL, INT, IP, BIN, LEN, STR, SUB, REG, BEG, END, DIR, DOM;

    /** The method called {@code name} after {@code -m}, or null when HAProxy would refuse it. */
    static MatchMethod byName(String name) {
        return switch (name) {
            case "found", "bool", "int", "ip", "bin", "len", "str", "sub", "reg", "beg", "end", "dir", "dom" ->
                    valueOf(name.toUpperCase(Locale.ROOT));
            default -> null;
        };
    }

    /** The method an ACL derivative suffix implies: {@code hdr_beg} → {@link #BEG}; null if not a suffix. */
    static MatchMethod bySuffix(String suffix) {
        return switch (suffix) {
            case "beg", "end", "sub", "reg", "dir", "dom", "len" -> valueOf(suffix.toUpperCase(Locale.ROOT));
            default -> null;
        };
    }

    /** The default when an ACL names no method: from the fetch's output type, as HAProxy does. */
    static MatchMethod forType(Sample.Type type) {
        return switch (type) {
            case BOOL -> BOOL;
            case INT -> INT;
            case IP -> IP;
            case STR -> STR;
        };
    }
}
