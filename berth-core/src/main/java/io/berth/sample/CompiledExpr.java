package io.berth.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * A fetch followed by its converters, compiled once. Immutable and thread-safe: evaluation allocates only
 * the samples it produces.
 *
 * @param text       the expression as written, for messages
 * @param fetchName  the fetch keyword, e.g. {@code req.hdr}
 * @param fetch      the bound fetch
 * @param converters the bound converters, applied in order
 * @param type       the declared output type: the last converter's, or the fetch's
 */
record CompiledExpr(String text, String fetchName, SampleFetch fetch, List<Converters.Converter> converters,
                    Sample.Type type) implements SampleExpr {

    /** The typed value seen by rules and header values, or null when the sample does not exist. */
    Sample sample(SampleContext ctx) {
        return convert(fetch.one(ctx));
    }

    /** Every value an ACL tries, converters applied; values a converter drops are left out. */
    List<Sample> samples(SampleContext ctx) {
        List<Sample> raw = fetch.all(ctx);
        if (converters.isEmpty()) {
            return raw;
        }
        List<Sample> out = new ArrayList<>(raw.size());
        for (Sample s : raw) {
            Sample c = convert(s);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private Sample convert(Sample s) {
        for (Converters.Converter c : converters) {
            if (s == null) {
                return null;
            }
            s = c.apply(s);
        }
        return s;
    }

    @Override
    public String evaluate(SampleContext ctx) {
        Sample s = sample(ctx);
        return s == null ? null : s.asString();
    }
}
