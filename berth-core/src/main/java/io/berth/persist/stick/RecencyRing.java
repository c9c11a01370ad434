package io.berth.persist.stick;

import java.util.function.IntConsumer;

/**
 * The order of a big (segmented) table's segment: positions in queue order in a ring, oldest at {@link #tail}, 0
 * for a hole left by an entry deleted or requeued. Every queue operation is O(1), and purging reads the ring
 * sequentially (the records it visits are independent loads, unlike a linked list's walk); when the ring is full
 * of holes it is compacted, amortised O(1) as the ring holds at least 1.5 times the entries. Each entry's record
 * keeps its slot ({@link Entries#setSlot}).
 *
 * <p>Second chances, as HAProxy 2.6 requeues a touched entry in its expiry tree only when its purge or expiry
 * walk meets it ({@code ts->expire != ts->exp.key}): a hit only rewrites the entry's expiry, without the lock, and
 * the mark "touched since queued" is the expiry's low bit (queued entries hold an even expiry, a touch writes an
 * odd one, see {@link StickSegment}); a marked oldest entry is requeued instead of purged. Entries a stream holds
 * are requeued too. Under the segment's lock.
 */
final class RecencyRing extends EntryOrder {
    private int[] ring;
    /** Tickets (wrapping counters; slot = ticket & mask): the oldest queued, and the next to hand out. */
    private int tail;
    private int head;
    /** Keeps {@link #warm}'s loads alive; never read. */
    @SuppressWarnings("unused")
    private int warmSink;

    RecencyRing(int positions) {
        reset(positions);
    }

    /**
     * A ring for {@code positions}: a power of two of at least 1.5 times the most entries they hold (half of
     * them), so a compaction always frees a third of the ring.
     */
    private static int length(int positions) {
        return Integer.highestOneBit(Math.max(16, positions * 3 / 4) - 1) << 1;
    }

    @Override
    void reset(int positions) {
        ring = new int[length(positions)];
        tail = 0;
        head = 0;
    }

    @Override
    void add(int p, int queueKey, Entries e) {
        if (head - tail == ring.length) {
            compact(e);
        }
        int slot = head & (ring.length - 1);
        ring[slot] = p + 1;
        e.setSlot(p, slot + 1);
        head++;
    }

    @Override
    void remove(int p, Entries e) {
        ring[e.slot(p) - 1] = 0;
    }

    @Override
    void moved(int from, int to, Entries e) {
        ring[e.slot(to) - 1] = to + 1;
    }

    @Override
    void touched(int p, Entries e) {
        // the mark is in the expiry (written by the segment); the entry keeps its place until the oldest end
    }

    /** The oldest queued position (holes skipped on the way), or -1 when the queue is empty. */
    private int oldest() {
        int mask = ring.length - 1;
        while (tail != head) {
            int s = ring[tail & mask];
            if (s != 0) {
                return s - 1;
            }
            tail++;
        }
        return -1;
    }

    /** Rewrites the queue without its holes. */
    private void compact(Entries e) {
        int[] old = ring;
        int mask = old.length - 1;
        int[] fresh = new int[old.length];
        int n = 0;
        for (int t = tail; t != head; t++) {
            int s = old[t & mask];
            if (s != 0) {
                fresh[n] = s;
                e.setSlot(s - 1, n + 1);
                n++;
            }
        }
        ring = fresh;
        tail = 0;
        head = n;
    }

    /** Lazy mode: the entry was touched since it was queued (odd expiry). */
    private static boolean marked(int p, Entries e) {
        return (e.expiry(p) & 1) != 0;
    }

    /** A touched entry goes to the newest end, its mark cleared (the expiry rounded up to even). */
    private void requeue(int p, Entries e) {
        remove(p, e);
        add(p, 0, e);
        e.setExpiry(p, e.expiry(p) + 1);
    }

    /** An entry in use goes to the newest end as it is. */
    private void pass(int p, Entries e) {
        remove(p, e);
        add(p, 0, e);
    }

    /**
     * Purges the {@code batch} oldest entries, requeueing touched and held ones on the way (at most
     * {@code 4 * batch + 16} of them: past that a touched one is purged, a held one ends the walk).
     */
    @Override
    int purge(int batch, Entries e) {
        warmSink += warm(batch, e);
        int limit = 4 * batch + 16;
        int n = 0;
        for (int passed = 0; n < batch; ) {
            int t = oldest();
            if (t < 0) {
                break;
            }
            if (e.referenced(t)) {
                if (passed++ == limit) {
                    break;
                }
                pass(t, e);
            } else if (marked(t, e) && passed < limit) {
                passed++;
                requeue(t, e);
            } else {
                e.delete(t);
                n++;
            }
        }
        return n;
    }

    /**
     * Reads the records of the next {@code n} queued entries, oldest first, so that the purge that follows finds
     * them in cache: these loads are independent and their misses overlap, while the purge's own loads wait on
     * each other (Java has no prefetch instruction; the sum goes to {@link #warmSink} so the JIT keeps the loads).
     */
    private int warm(int n, Entries e) {
        int mask = ring.length - 1;
        int sum = 0;
        for (int t = tail, k = 0; k < n && t != head; t++, k++) {
            int s = ring[t & mask];
            if (s != 0) {
                sum += e.expiry(s - 1);
            }
        }
        return sum;
    }

    @Override
    boolean sweepDue(int now, Entries e) {
        int t = oldest();
        return t >= 0 && (e.expired(t, now) || marked(t, e));
    }

    @Override
    int sweep(int now, int budget, Entries e) {
        int t;
        int n = 0;
        for (int held = 0; n < budget && (t = oldest()) >= 0; n++) {
            if (e.expired(t, now) && e.referenced(t)) {
                // in use: HAProxy's expiry task passes it over; once every entry could have been passed over,
                // the rest are all held
                if (held++ == e.used()) {
                    break;
                }
                pass(t, e);
            } else if (e.expired(t, now)) {
                e.delete(t);
            } else if (marked(t, e)) {
                requeue(t, e);
            } else {
                break;
            }
        }
        return n;
    }

    @Override
    int[] oldestFirst(int[] keys) {
        int mask = ring.length - 1;
        int[] out = new int[head - tail];
        int n = 0;
        for (int t = tail; t != head; t++) {
            int s = ring[t & mask];
            if (s != 0) {
                out[n++] = s - 1;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    void forEachNewestFirst(IntConsumer visitor) {
        int mask = ring.length - 1;
        for (int t = head - 1; t - tail >= 0; t--) {
            int s = ring[t & mask];
            if (s != 0) {
                visitor.accept(s - 1);
            }
        }
    }

    @Override
    long footprint() {
        return 4L * ring.length;
    }
}
