package io.berth.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code FETCH[(ARGS)][,CONV[(ARGS)]]...} into a {@link CompiledExpr}. Used at configuration time
 * only. Arguments are split on commas; a backslash escapes the next character. Parsing stops at the end of the
 * text or, inside a log-format string, at the closing {@code ]}.
 */
final class ExprParser {
    /** What went wrong, so each caller can word it as HAProxy does in its context. */
    enum Failure { UNKNOWN_FETCH, UNKNOWN_CONVERTER, MISSING_FETCH, BAD_FETCH_ARGUMENT, BAD_CONVERTER }

    /** A parse error: the bare message (no final dot) and the keyword it concerns. */
    static final class ExprException extends Exception {
        final Failure failure;
        final String keyword;

        ExprException(Failure failure, String keyword, String message) {
            super(message);
            this.failure = failure;
            this.keyword = keyword;
        }
    }

    /** A parsed expression and the index just after it. */
    record Parsed(CompiledExpr expr, int end) {
    }

    private final String text;
    private final boolean inBrackets;
    private int pos;

    private ExprParser(String text, int start, boolean inBrackets) {
        this.text = text;
        this.pos = start;
        this.inBrackets = inBrackets;
    }

    /**
     * @param text       the whole text
     * @param start      where the expression begins
     * @param inBrackets true inside {@code %[...]}: stop before {@code ]}; false: the expression is all the rest
     * @param fetchName  when not null, the fetch name to use instead of the word found (ACL derivatives such as
     *                   {@code hdr_beg} name the fetch {@code hdr})
     */
    static Parsed parse(String text, int start, boolean inBrackets, String fetchName) throws ExprException {
        return new ExprParser(text, start, inBrackets).parse(fetchName);
    }

    private Parsed parse(String overrideName) throws ExprException {
        int begin = pos;
        String name = word();
        if (name.isEmpty()) {
            throw new ExprException(Failure.MISSING_FETCH, "", "missing fetch method");
        }
        String fetchName = overrideName != null ? overrideName : name;
        Fetches.Def def = Fetches.find(fetchName);
        if (def == null) {
            throw new ExprException(Failure.UNKNOWN_FETCH, name, "unknown fetch method '" + name + "'");
        }
        int fetchArgStart = pos;
        List<String> fetchArgs = args("fetch method '" + name + "'");
        SampleFetch fetch;
        try {
            fetch = def.factory().create(new FetchArgs(null, fetchArgs),
                    text.substring(Math.min(fetchArgStart + 1, text.length())));
        } catch (SampleException e) {
            throw new ExprException(Failure.BAD_FETCH_ARGUMENT, name, e.getMessage());
        }
        List<Converters.Converter> convs = new ArrayList<>();
        Sample.Type type = def.type();
        while (pos < text.length() && text.charAt(pos) == ',') {
            pos++;
            String conv = word();
            String what = "converter '" + conv + "'";
            int argStart = pos;
            List<String> convArgs = args(what);
            Converters.Converter c;
            try {
                c = Converters.create(conv, new FetchArgs(what, convArgs), text.substring(Math.min(argStart + 1,
                        text.length())));
            } catch (SampleException e) {
                throw new ExprException(Failure.BAD_CONVERTER, name, e.getMessage());
            }
            if (c == null) {
                throw new ExprException(Failure.UNKNOWN_CONVERTER, name, "unknown converter '" + conv + "'");
            }
            convs.add(c);
            type = Converters.outputType(conv);
        }
        if (pos < text.length() && !(inBrackets && text.charAt(pos) == ']')) {
            throw new ExprException(Failure.BAD_FETCH_ARGUMENT, name, "missing comma after '"
                    + text.substring(begin, pos) + "'");
        }
        return new Parsed(new CompiledExpr(text.substring(begin, pos), fetchName, fetch, List.copyOf(convs), type),
                pos);
    }

    /**
     * Words a failure as HAProxy does in an ACL: {@code unknown fetch method 'foo' in ACL expression 'foo(x)'.},
     * {@code ACL keyword 'path' : unknown converter 'lowerr'..} (HAProxy prints the two dots).
     */
    static String aclMessage(ExprException e, String word) {
        return switch (e.failure) {
            case UNKNOWN_FETCH, MISSING_FETCH -> e.getMessage() + " in ACL expression '" + word + "'.";
            case BAD_FETCH_ARGUMENT -> "ACL keyword '" + e.keyword + "' : " + e.getMessage() + ".";
            case UNKNOWN_CONVERTER, BAD_CONVERTER -> "ACL keyword '" + e.keyword + "' : " + e.getMessage() + "..";
        };
    }

    /** Words a failure as HAProxy does for a sample expression outside ACLs, without the log-format wrapper. */
    static String plainMessage(ExprException e) {
        return switch (e.failure) {
            case BAD_FETCH_ARGUMENT -> "fetch method '" + e.keyword + "' : " + e.getMessage() + ".";
            default -> e.getMessage() + ".";
        };
    }

    private String word() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '+') {
                pos++;
            } else {
                break;
            }
        }
        return text.substring(start, pos);
    }

    /** Reads {@code (a,b,...)} if present; an empty list when there are no parentheses. */
    private List<String> args(String what) throws ExprException {
        List<String> out = new ArrayList<>();
        if (pos >= text.length() || text.charAt(pos) != '(') {
            return out;
        }
        pos++;
        StringBuilder cur = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new ExprException(Failure.BAD_FETCH_ARGUMENT, what, "missing closing ')' after arguments to "
                        + what);
            }
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                cur.append(text.charAt(pos++));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c == ')') {
                if (!out.isEmpty() || cur.length() > 0) {
                    out.add(cur.toString());
                }
                return out;
            } else {
                cur.append(c);
            }
        }
    }
}
