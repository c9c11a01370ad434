package io.berth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Splits one configuration line into words as HAProxy 2.6's {@code parse_line()} does: blanks separate words,
 * {@code #} starts a comment, single quotes keep everything literal, double quotes keep blanks and allow
 * {@code "$VAR"} / {@code "${VAR}"} / {@code "${VAR-default}"} expansion, and a backslash escapes {@code \ },
 * {@code \\}, {@code \#}, {@code \'}, {@code \"}, {@code \t}, {@code \n}, {@code \r} and {@code \xNN} outside
 * single quotes. There are no continuation lines.
 *
 * <p>Like HAProxy (parse_line with PARSE_OPT_DQUOTE), an unquoted {@code $VAR} is <em>not</em> expanded by the
 * lexer; only addresses expand it later ({@link Addresses#expandEnv}). Owned by the config layer; stateless,
 * any thread.
 */
public final class ConfigLexer {
    private ConfigLexer() {
    }

    /** The words of a line, or an error message in HAProxy's words (then {@code words} is empty). */
    public record Line(List<String> words, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Splits {@code line}; {@code env} resolves variable names (returns null when undefined, which expands to
     * nothing as in HAProxy). Never throws.
     */
    public static Line split(String line, Function<String, String> env) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        boolean squote = false;
        boolean dquote = false;
        int quoteAt = -1;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r') {
                break;
            }
            if (c == '#' && !squote && !dquote) {
                break;
            }
            if (c == '"' && !squote) {
                dquote = !dquote;
                quoteAt = dquote ? i : -1;
                inWord = true;
                i++;
                continue;
            }
            if (c == '\'' && !dquote) {
                squote = !squote;
                quoteAt = squote ? i : -1;
                inWord = true;
                i++;
                continue;
            }
            if (c == '\\' && !squote) {
                char next = i + 1 < n ? line.charAt(i + 1) : '\0';
                switch (next) {
                    case ' ', '\\', '#', '\'', '"' -> {
                        cur.append(next);
                        i += 2;
                    }
                    case 't' -> {
                        cur.append('\t');
                        i += 2;
                    }
                    case 'n' -> {
                        cur.append('\n');
                        i += 2;
                    }
                    case 'r' -> {
                        cur.append('\r');
                        i += 2;
                    }
                    case '$' -> {
                        // "\$" keeps a literal dollar only where it would otherwise expand (in double quotes)
                        if (dquote) {
                            cur.append('$');
                            i += 2;
                        } else {
                            cur.append('\\');
                            i++;
                        }
                    }
                    case 'x' -> {
                        if (i + 3 >= n || Character.digit(line.charAt(i + 2), 16) < 0
                                || Character.digit(line.charAt(i + 3), 16) < 0) {
                            return failed("truncated or invalid hexadecimal sequence at position " + (i + 1));
                        }
                        cur.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 4;
                    }
                    default -> {
                        // other combinations are not escape sequences: the backslash stays (e.g. "\1" in regexes)
                        cur.append('\\');
                        i++;
                    }
                }
                inWord = true;
                continue;
            }
            if (Character.isWhitespace(c) && !squote && !dquote) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            if (c == '$' && dquote) {
                int end = expand(line, i, env, cur);
                if (end < 0) {
                    return failed(end == -1
                            ? "unmatched brace in environment variable name at position " + (i + 2)
                            : "forbidden first char in environment variable name at position " + (i + 2));
                }
                i = end;
                inWord = true;
                continue;
            }
            cur.append(c);
            inWord = true;
            i++;
        }
        if (squote || dquote) {
            return failed("unmatched quote at position " + (quoteAt + 1));
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return new Line(List.copyOf(words), null);
    }

    /**
     * Expands the variable starting at {@code line[at] == '$'} into {@code out}; returns the index after it,
     * -1 for an unmatched brace, -2 for a bad first character.
     */
    static int expand(String line, int at, Function<String, String> env, StringBuilder out) {
        int i = at + 1;
        int n = line.length();
        boolean brace = i < n && line.charAt(i) == '{';
        if (brace) {
            i++;
        }
        if (i >= n || !(Character.isLetter(line.charAt(i)) || line.charAt(i) == '_')) {
            return -2;
        }
        int start = i;
        while (i < n && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) {
            i++;
        }
        String value = env.apply(line.substring(start, i));
        if (brace) {
            if (i < n && line.charAt(i) == '-') {
                int close = line.indexOf('}', i);
                if (close < 0) {
                    return -1;
                }
                if (value == null) {
                    value = line.substring(i + 1, close);
                }
                i = close;
            }
            if (i >= n || line.charAt(i) != '}') {
                return -1;
            }
            i++;
        }
        if (value != null) {
            out.append(value);
        }
        return i;
    }

    private static Line failed(String message) {
        return new Line(List.of(), message);
    }
}
