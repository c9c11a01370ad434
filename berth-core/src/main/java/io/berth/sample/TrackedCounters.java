package io.berth.sample;

/**
 * What the {@code sc_*}, {@code sc0_*}..{@code sc2_*} and {@code src_*} fetches read: the stick counters a stream
 * tracks ({@code track-sc0..2}) and the stick tables of its runtime. Implemented by {@code persist/stick}
 * (StickCounters) so that the sample engine needs no table code; reached through
 * {@link SampleContext#trackedCounters()}. Called on the stream's event loop.
 */
public interface TrackedCounters {
    /** What a fetch does with the counter it names. */
    enum Op {
        /** Read the stored value (a rate reads events over its period). */
        GET,
        /** {@code inc_gpc0/1}: count one event (counter and its rate), return the new counter. */
        INC,
        /** {@code clr_gpc0/1}: return the value, then set it to 0. */
        CLR,
        /** {@code kbytes_in/out}: the byte counter divided by 1024. */
        KBYTES
    }

    /**
     * An {@code sc_*} fetch: the entry tracked by counter {@code slot} (looked up again in {@code table} when that
     * is not null, as HAProxy's optional table argument does).
     *
     * @param dataType the stored data type's keyword, e.g. {@code http_req_rate}
     * @return the value; 0 when the key is absent from {@code table}; null (the fetch fails) when the slot
     *         tracks nothing or the table does not store {@code dataType}
     */
    Long tracked(int slot, String table, String dataType, Op op);

    /**
     * A {@code src_*} fetch: the entry of the stream's source address in {@code table} (null: the current
     * proxy's table). {@link Op#INC} creates the entry as HAProxy's {@code src_inc_gpc0} does.
     *
     * @return the value, 0 when the address is not in the table, null when the fetch fails (no such table, data
     *         type not stored, no source address)
     */
    Long source(SampleContext ctx, String table, String dataType, Op op);
}
