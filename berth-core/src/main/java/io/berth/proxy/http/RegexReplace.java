package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code replace-header}, {@code replace-value}, {@code replace-path} and {@code replace-uri} actions, as
 * HAProxy 2.6 applies them (checked live): a value in which the regex finds a match anywhere is replaced whole by
 * the replacement, whose {@code \1}... are the match's groups ({@code exp_replace} in src/regex.c). Stateless.
 */
final class RegexReplace {
    private RegexReplace() {
    }

    /**
     * {@code text} replaced by {@code replacement} expanded for the match, when {@code match} finds one in it;
     * null when it does not.
     */
    static String whole(String text, Pattern match, String replacement) {
        Matcher m = match.matcher(text);
        return m.find() ? expand(replacement, m) : null;
    }

    /** {@code replace-header}: every value of header {@code name} the regex matches, in place. */
    static void headers(HttpHeaders headers, String name, Pattern match, String replacement) {
        rewrite(headers, name, v -> whole(v, match, replacement));
    }

    /**
     * {@code replace-value}: the same for each comma-separated value of header {@code name} (commas inside
     * double quotes do not separate), the separators and the blanks around each value kept.
     */
    static void values(HttpHeaders headers, String name, Pattern match, String replacement) {
        rewrite(headers, name, v -> eachValue(v, match, replacement));
    }

    /** Sets each value of header {@code name} to {@code f} of it, in place, where {@code f} gives non-null. */
    private static void rewrite(HttpHeaders headers, String name, UnaryOperator<String> f) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (AsciiString.contentEqualsIgnoreCase(name, e.getKey())) {
                String replaced = f.apply(e.getValue().toString());
                if (replaced != null) {
                    e.setValue(replaced);
                }
            }
        }
    }

    /** {@code v} with each comma-separated value the regex matches replaced, or null when none matched. */
    private static String eachValue(String v, Pattern match, String replacement) {
        StringBuilder out = new StringBuilder(v.length());
        boolean changed = false;
        int start = 0;
        while (true) {
            int end = valueEnd(v, start);
            int from = start;
            int to = end;
            while (from < to && blank(v.charAt(from))) {
                from++;
            }
            while (to > from && blank(v.charAt(to - 1))) {
                to--;
            }
            String replaced = whole(v.substring(from, to), match, replacement);
            out.append(v, start, from).append(replaced == null ? v.substring(from, to) : replaced).append(v, to, end);
            changed |= replaced != null;
            if (end == v.length()) {
                return changed ? out.toString() : null;
            }
            out.append(',');
            start = end + 1;
        }
    }

    /** Where the value starting at {@code from} ends: the next comma outside a quoted string, or the end. */
    private static int valueEnd(String v, int from) {
        boolean quoted = false;
        for (int i = from; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return v.length();
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * HAProxy's {@code exp_replace}: {@code \N} is group N (nothing when it took no part), {@code \xHH} the byte
     * HH, a backslash before any other character that character.
     */
    static String expand(String replacement, Matcher m) {
        StringBuilder out = new StringBuilder(replacement.length() + 16);
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c != '\\' || i + 1 == replacement.length()) {
                out.append(c);
                continue;
            }
            char n = replacement.charAt(++i);
            if (n >= '0' && n <= '9') {
                int g = n - '0';
                if (g <= m.groupCount() && m.group(g) != null) {
                    out.append(m.group(g));
                }
            } else if (n == 'x' && i + 2 < replacement.length()) {
                out.append((char) Integer.parseInt(replacement.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(n);
            }
        }
        return out.toString();
    }
}
