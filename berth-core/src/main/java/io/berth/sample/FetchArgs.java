package io.berth.sample;

import java.util.List;

/**
 * The parsed arguments of one fetch or converter call, with HAProxy's type checks and wording. Built at
 * configuration time only.
 */
final class FetchArgs {
    private final String what;
    private final List<String> args;

    /**
     * @param what how errors name a converter, e.g. {@code converter 'word'}; null for a fetch, whose messages
     *             the caller prefixes as its context requires
     */
    FetchArgs(String what, List<String> args) {
        this.what = what;
        this.args = args;
    }

    int size() {
        return args.size();
    }

    /** Refuses more than {@code max} arguments. */
    void atMost(int max, String rest) throws SampleException {
        if (args.size() > max) {
            if (max == 0) {
                throw new SampleException(prefix(1) + "expected ')' before '" + rest + "'");
            }
            throw new SampleException(prefix(max + 1) + "end of arguments expected at position " + (max + 1)
                    + ", but got ',"  + args.get(max) + ")'");
        }
    }

    String string(int i, boolean mandatory) throws SampleException {
        if (i >= args.size()) {
            if (mandatory) {
                throw new SampleException(prefix(i + 1) + "missing arguments (got " + args.size() + "/" + (i + 1)
                        + "), type 'string' expected");
            }
            return null;
        }
        return args.get(i);
    }

    /** An optional integer argument, {@code dflt} when absent. */
    long integer(int i, boolean mandatory, long dflt) throws SampleException {
        if (i >= args.size()) {
            if (mandatory) {
                throw new SampleException(prefix(i + 1) + "missing arguments (got " + args.size() + "/" + (i + 1)
                        + "), type 'integer' expected");
            }
            return dflt;
        }
        String s = args.get(i);
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw typeError(i, "integer");
        }
    }

    SampleException typeError(int i, String type) {
        return new SampleException(prefix(i + 1) + "failed to parse '" + args.get(i) + "' as type '" + type
                + "' at position " + (i + 1));
    }

    /** Converters say {@code invalid arg N in converter 'x' : }; fetch messages are bare. */
    private String prefix(int position) {
        return what != null ? "invalid arg " + position + " in " + what + " : " : "";
    }
}
