package io.berth.persist.stick;

/**
 * HAProxy's sliding-window frequency counter ({@code struct freq_ctr}, include/haproxy/freq_ctr.h and
 * src/freq_ctr.c of 2.6), reimplemented over three consecutive words of a stick table's data array:
 * {@code curr_tick} (start of the current period, in wrapping milliseconds, always even because HAProxy uses bit
 * 0 as a rotation lock), {@code curr_ctr} (events in the current period) and {@code prev_ctr} (events in the
 * previous one). All values are unsigned 32-bit. The caller holds the lock of the segment owning the words, so
 * the rotation needs no atomics here; the arithmetic is HAProxy's so rates read the same.
 *
 * <p>Worked example, period 10000 ms: a fresh counter updated at now=100000 rotates (it is more than two periods
 * old): prev_ctr=0, curr_ctr=1, curr_tick=100000. Two more events at 100500 give curr_ctr=3. Read at 105000:
 * remain = 100000+10000-105000 = 5000, total = 0*5000 + 3*10000 → rate 3. Read at 112000: remain = -2000, so the
 * window moved on: remain += 10000 → 8000, past = 3, curr = 0, total = 3*8000 = 24000 → rate 2. Read at 121000:
 * remain = -1000 → past = 0 → rate 0.
 */
final class FreqCtr {
    static final int WORDS = 3;

    private FreqCtr() {
    }

    /**
     * {@code update_freq_ctr_period()}: adds {@code inc} events at {@code now}, rotating the window first when
     * the current period is over (forgetting everything if two or more periods passed). Returns the current
     * period's count after the update.
     */
    static int update(int[] d, int o, int period, int inc, int now) {
        int currTick = d[o];
        if (Integer.compareUnsigned(now - currTick, period) < 0) {
            d[o + 1] += inc;
            return d[o + 1];
        }
        d[o + 2] = d[o + 1];
        d[o + 1] = inc;
        currTick += period;
        if (Integer.compareUnsigned(now - currTick, period) >= 0) {
            // we missed at least two periods
            d[o + 2] = 0;
            currTick = now;
        }
        d[o] = currTick & ~1;
        return inc;
    }

    /**
     * {@code read_freq_ctr_period()}: events over the last {@code period} ms at {@code now}, the previous period
     * weighted by the part of it still inside the sliding window, with HAProxy's correction for very low rates.
     */
    static long read(int[] d, int o, int period, int now) {
        return total(d, o, period, now) / period;
    }

    /** {@code freq_ctr_total(ctr, period, -1)}: rate × period. */
    static long total(int[] d, int o, int period, int now) {
        int tick = d[o];
        long curr = d[o + 1] & 0xffffffffL;
        long past = d[o + 2] & 0xffffffffL;
        int remain = tick + period - now;
        if (remain < 0) {
            // past the first period: report part of the last one, or nothing if too far away
            remain += period;
            past = remain >= 0 ? curr : 0;
            curr = 0;
        }
        if (curr == 0 && past <= 1) {
            // flapping correction at very low rates
            return past * period;
        }
        return past * remain + curr * period;
    }
}
