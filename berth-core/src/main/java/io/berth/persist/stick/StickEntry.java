package io.berth.persist.stick;

/**
 * A view of one entry's data while its segment's lock is held (inside {@link StickTable#update} or
 * {@link StickTable#forEach}); must not be kept after the callback returns. Counters are unsigned 32-bit (bytes
 * counters 64-bit) and wrap as HAProxy's do; rates read and update with {@link FreqCtr}.
 */
public final class StickEntry {
    private final StickDataLayout layout;
    private final int[] d;
    private final int base;
    private final int now;
    private final int uses;

    StickEntry(StickDataLayout layout, int[] d, int base, int now, int uses) {
        this.layout = layout;
        this.d = d;
        this.base = base;
        this.now = now;
        this.uses = uses;
    }

    /** Streams tracking the entry (HAProxy's {@code ref_cnt} as {@code show table} prints it in {@code use=}). */
    public int uses() {
        return uses;
    }

    public boolean stores(StickDataType type) {
        return layout.stores(type);
    }

    /** The value of {@code type} (a rate reads events over its period); 0 when the table does not store it. */
    public long get(StickDataType type) {
        int o = layout.offset(type);
        if (o < 0) {
            return 0;
        }
        o += base;
        return switch (type.kind) {
            case INT, DICT -> d[o] & 0xffffffffL;
            case U64 -> (d[o] & 0xffffffffL) << 32 | d[o + 1] & 0xffffffffL;
            case RATE -> FreqCtr.read(d, o, layout.period(type), now);
        };
    }

    /** Adds {@code n} (a rate counts {@code n} events now); no effect when the table does not store it. */
    public void add(StickDataType type, long n) {
        int o = layout.offset(type);
        if (o < 0) {
            return;
        }
        o += base;
        switch (type.kind) {
            case INT, DICT -> d[o] += (int) n;
            case U64 -> put64(o, ((d[o] & 0xffffffffL) << 32 | d[o + 1] & 0xffffffffL) + n);
            case RATE -> FreqCtr.update(d, o, layout.period(type), (int) n, now);
        }
    }

    /** Sets a counter (a rate gets {@code v} more events, as {@code set table} does in HAProxy). */
    public void set(StickDataType type, long v) {
        int o = layout.offset(type);
        if (o < 0) {
            return;
        }
        o += base;
        switch (type.kind) {
            case INT, DICT -> d[o] = (int) v;
            case U64 -> put64(o, v);
            case RATE -> FreqCtr.update(d, o, layout.period(type), (int) v, now);
        }
    }

    /** The time this view was taken at (wrapping ms ticks). */
    public int now() {
        return now;
    }

    /**
     * The raw {@code freq_ctr} words of a rate, {@code {curr_tick, curr_ctr, prev_ctr}}, as the peers protocol
     * sends them (so a rate replicates exactly rather than as a reading); null when the table does not store it.
     */
    public int[] rateWords(StickDataType type) {
        int o = layout.offset(type);
        if (o < 0 || type.kind != StickDataType.Kind.RATE) {
            return null;
        }
        o += base;
        return new int[] {d[o], d[o + 1], d[o + 2]};
    }

    /** Overwrites a rate's raw words (a value learned from a peer); no effect when the table does not store it. */
    public void setRateWords(StickDataType type, int currTick, int currCtr, int prevCtr) {
        int o = layout.offset(type);
        if (o < 0 || type.kind != StickDataType.Kind.RATE) {
            return;
        }
        o += base;
        d[o] = currTick & ~1;
        d[o + 1] = currCtr;
        d[o + 2] = prevCtr;
    }

    private void put64(int o, long v) {
        d[o] = (int) (v >>> 32);
        d[o + 1] = (int) v;
    }
}
