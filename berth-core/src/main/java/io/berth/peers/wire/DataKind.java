package io.berth.peers.wire;

/**
 * How each stick-table data type id of HAProxy 2.6 (0..24, the bits of a definition's data bitfield) travels in
 * an update: one varint ({@code server_id}, u32 counters, u64 byte counters), three varints for a frequency
 * counter, a dictionary reference for {@code server_key}, or arrays of those ({@code gpt}, {@code gpc},
 * {@code gpc_rate}). An id above 24 is unknown and makes a definition malformed, because its width cannot be
 * known. Immutable.
 */
public enum DataKind {
    COUNTER, FREQ, DICT, ARRAY_COUNTER, ARRAY_FREQ;

    /** Highest data type id HAProxy 2.6 defines. */
    public static final int MAX_TYPE = 24;

    private static final DataKind[] BY_ID = {
        COUNTER, COUNTER, COUNTER, FREQ, COUNTER, FREQ, COUNTER, COUNTER, FREQ, COUNTER, FREQ, COUNTER, FREQ,
        COUNTER, FREQ, COUNTER, FREQ, COUNTER, FREQ, DICT, COUNTER, FREQ, ARRAY_COUNTER, ARRAY_COUNTER, ARRAY_FREQ,
    };

    /** The kind of data type {@code id}, or null for ids HAProxy 2.6 does not know. */
    public static DataKind of(int id) {
        return id < 0 || id > MAX_TYPE ? null : BY_ID[id];
    }

    /** True when a definition carries a period for this kind. */
    public boolean hasPeriod() {
        return this == FREQ || this == ARRAY_FREQ;
    }

    public boolean isArray() {
        return this == ARRAY_COUNTER || this == ARRAY_FREQ;
    }
}
