package io.berth.persist.stick;

import java.util.function.IntConsumer;

/**
 * The order of a big (segmented) table's segment: a clock hand over the segment's positions, purging by age.
 * There is no queue: the purge's hand walks the records in position order, passes over entries a stream holds,
 * and deletes expired entries and those last touched no later than its {@link #threshold} (spaced: see
 * {@link #SPACING}). At the end of each of its turns the threshold moves to the oldest touch the turn kept plus an
 * eighth of that entry's age: so each turn purges about the oldest eighth of the ages, the entry a client just
 * stored or touched is never purged while older ones remain, and ties (all entries of the same millisecond) go in
 * position order. HAProxy's tree purges the strictly oldest first; this is the oldest eighth, found without any
 * memory per entry.
 *
 * <p>Why not a queue (as {@link ExpiryOrder} for small tables): with a million entries the queue costs every
 * insert and deletion a random memory access of its own (the queue node, and the back-pointer moved with each
 * shifted record), which doubles an insert's cost; the hand reads records in sequence, already in cache after the
 * first, and needs no memory but its own position.
 *
 * <p>Expiry works the same way: a second cursor sweeps the positions and deletes expired entries, but only from
 * the moment the earliest expiry of the segment is due ({@link #dueAt}, a lower bound kept from the expiries it
 * sees on its turn and of every entry added or moved meanwhile) and at most once per {@link #TURN_GAP_MS}, so a
 * table with nothing to expire costs nothing. Lookups never return an expired entry in between (they check the
 * expiry themselves). Under the segment's lock.
 */
final class ClockHand extends EntryOrder {
    /** The threshold moves by this fraction of the oldest kept entry's age per turn. */
    private static final int AGE_STEP = 8;
    /**
     * Entries the hand passes between two it purges for age. Purging every old entry in a row would empty the
     * positions behind the hand while those ahead fill up, and linear probing degrades badly in the full part
     * (long runs make inserts and deletions slow); spacing the purges keeps the table evenly filled.
     */
    private static final int SPACING = 3;
    /**
     * The sweep's turns start at most once a second: a turn reads every position (about 30 ms of a core for a
     * million entries), and with entries expiring all the time a turn would otherwise follow the last at once.
     * Expired entries so wait up to a second to be deleted; lookups never return them, the hand purges every one
     * it meets, and {@code show table} does not list them.
     */
    private static final int TURN_GAP_MS = 1000;

    private int positions;
    /** The next position the purge examines. */
    private int hand;
    /** Entries the hand passed since it last purged one for age. */
    private int passed;
    /** Entries last touched at or before this tick are purged (once {@link #thresholdSet}). */
    private int threshold;
    private boolean thresholdSet;
    /** The oldest last touch of the entries the hand kept on its current turn (when {@link #oldestKeptSet}). */
    private int oldestKept;
    private boolean oldestKeptSet;
    /** The next position the expiry sweep examines. */
    private int cursor;
    /** The sweep waits until {@code dueAt} (when {@link #due}): no entry expires before, or a turn just ended. */
    private int dueAt;
    private boolean due;
    /** The earliest expiry the sweep's current turn kept, or saw added or moved (when {@link #seen}). */
    private int seenMin;
    private boolean seen;

    ClockHand(int positions) {
        reset(positions);
    }

    @Override
    void reset(int positions) {
        this.positions = positions;
        hand = 0;
        thresholdSet = false;
        oldestKeptSet = false;
        cursor = 0;
        due = false;
        seen = false;
    }

    /** Lowers both expiry bounds to {@code tick} when it is earlier (wrapping tick order). */
    private void expiresBy(int tick) {
        if (!due || tick - dueAt < 0) {
            dueAt = tick;
            due = true;
        }
        kept(tick);
    }

    /** Lowers the bound of the sweep's current turn to {@code tick} when it is earlier. */
    private void kept(int tick) {
        if (!seen || tick - seenMin < 0) {
            seenMin = tick;
            seen = true;
        }
    }

    @Override
    void add(int p, int queueKey, Entries e) {
        expiresBy(e.expiry(p));
    }

    @Override
    void remove(int p, Entries e) {
        // nothing to unlink: the hand and the sweep meet the free position and pass on
    }

    @Override
    void moved(int from, int to, Entries e) {
        // a shifted entry may jump behind the sweep's cursor: its expiry must still count in this turn's bound
        // (not in dueAt, which it already respected where it was)
        kept(e.expiry(to));
    }

    @Override
    void touched(int p, Entries e) {
        // a touch from the lock usually lengthens the life; an entry learned from a peer may shorten it
        expiresBy(e.expiry(p));
    }

    /**
     * Deletes up to {@code batch} entries at the hand. At most three turns: after a turn the threshold reaches
     * at least the oldest entry kept, so the next one purges something unless streams hold every entry, and then
     * the segment refuses the new key.
     */
    @Override
    int purge(int batch, int now, Entries e) {
        int n = 0;
        for (long steps = 3L * positions + batch; n < batch && steps > 0 && e.used() > 0; steps--) {
            if (hand >= positions) {
                hand = 0;
                turn(now);
            }
            if (e.expiry(hand) == 0 || e.referenced(hand)) {
                hand++;
                continue;
            }
            int touchedAt = e.lastTouch(hand);
            boolean old = thresholdSet && touchedAt - threshold <= 0;
            if (e.expired(hand, now) || old && passed >= SPACING) {
                // the next entry of the run may shift into this position: it waits for the next turn
                e.delete(hand);
                n++;
                passed = 0;
            } else {
                if (!oldestKeptSet || touchedAt - oldestKept < 0) {
                    oldestKept = touchedAt;
                    oldestKeptSet = true;
                }
                passed++;
            }
            hand++;
        }
        return n;
    }

    /** The end of the hand's turn: the threshold moves to the oldest entry kept, plus an eighth of its age. */
    private void turn(int now) {
        if (oldestKeptSet) {
            int age = Math.max(0, now - oldestKept);
            int t = oldestKept + age / AGE_STEP;
            if (!thresholdSet || t - threshold > 0) {
                threshold = t;
                thresholdSet = true;
            }
        }
        oldestKeptSet = false;
    }

    @Override
    boolean sweepDue(int now, Entries e) {
        return due && now - dueAt >= 0;
    }

    /**
     * Visits up to {@code budget} positions from the cursor, deleting expired entries no stream holds. At the
     * end of a turn the bound becomes the earliest expiry the turn kept: the sweep then rests until that is due.
     */
    @Override
    int sweep(int now, int budget, Entries e) {
        int visited = 0;
        while (visited < budget) {
            if (cursor >= positions) {
                cursor = 0;
                due = seen;
                dueAt = seen && seenMin - (now + TURN_GAP_MS) < 0 ? now + TURN_GAP_MS : seenMin;
                seen = false;
                if (!sweepDue(now, e)) {
                    break;
                }
            }
            visited++;
            int x = e.expiry(cursor);
            if (x == 0) {
                cursor++;
            } else if (e.referenced(cursor)) {
                // held: its release touches it, which lowers the bound again if need be
                cursor++;
            } else if (x - now <= 0) {
                e.delete(cursor);
            } else {
                kept(x);
                cursor++;
            }
        }
        return visited;
    }

    @Override
    int[] oldestFirst(int[] keys, Entries e) {
        int[] out = new int[e.used()];
        int n = 0;
        for (int p = 0; p < positions && n < out.length; p++) {
            if (e.expiry(p) != 0) {
                out[n++] = p;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    @Override
    void forEachNewestFirst(IntConsumer visitor, Entries e) {
        for (int p = 0; p < positions; p++) {
            if (e.expiry(p) != 0) {
                visitor.accept(p);
            }
        }
    }

    @Override
    long footprint() {
        return 0;
    }
}
