package io.berth.sample;

import java.util.List;

/**
 * One compiled fetch with its arguments bound. {@link #one} is the value a rule or header value sees (for
 * {@code hdr()} the last occurrence); {@link #all} is what an ACL iterates over (every occurrence). Immutable;
 * called on event loops.
 */
interface SampleFetch {
    /** The single value, or null when the fact does not exist (no such header, no server yet). */
    Sample one(SampleContext ctx);

    /** Every value an ACL should try, in order; empty when none. */
    default List<Sample> all(SampleContext ctx) {
        Sample s = one(ctx);
        return s == null ? List.of() : List.of(s);
    }
}
