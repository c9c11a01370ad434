package io.berth.persist.stick;

import java.util.function.IntConsumer;

/**
 * The order of a table that fits in one segment, kept exactly as HAProxy 2.6 keeps its expiry tree
 * ({@code t->exps}), because with small tables which entry is purged, and whether one is at all, shows on the
 * wire. Each entry has a queue key: its expiry when it was stored or last requeued. A touch only rewrites the
 * expiry and leaves the entry in place; the purge and the expiry walks meet entries in queue-key order and requeue
 * those whose expiry moved since ({@code ts->expire != ts->exp.key}), pass over the ones a stream holds, and
 * delete the others. The purge visits at most {@code 2 * batch} entries ({@code max_search}), so a table whose
 * oldest entries were all touched refuses a new key, as HAProxy does.
 *
 * <p>A doubly linked list over positions (plus one; 0 for none), sorted by queue key (wrapping tick order, ties
 * in insertion order as in an eb32 tree). A requeued key is a recent expiry, so its place is found by walking
 * back from the newest end. Under the segment's lock.
 */
final class ExpiryOrder extends EntryOrder {
    private int[] prev;
    private int[] next;
    private int[] key;
    private int first;
    private int last;
    /** The walk's next position (plus one), kept right when the deletion in progress shifts entries. */
    private int cursor;
    /**
     * When the expiry walk is next due ({@code t->exp_next}): the earliest expiry stored or touched since the
     * last walk, or where that walk stopped; {@link #due} false for never. HAProxy runs the walk only then, and
     * which entries a purge meets touched depends on it.
     */
    private int dueAt;
    private boolean due;

    ExpiryOrder(int positions) {
        reset(positions);
    }

    @Override
    void reset(int positions) {
        prev = new int[positions];
        next = new int[positions];
        key = new int[positions];
        first = 0;
        last = 0;
        due = false;
    }

    /** {@code tick_first}: the walk is due at the earlier of its date and {@code tick}. */
    private void dueBy(int tick) {
        if (!due || tick - dueAt < 0) {
            dueAt = tick;
            due = true;
        }
    }

    @Override
    void add(int p, int queueKey, Entries e) {
        insert(p, queueKey);
        dueBy(e.expiry(p));
    }

    /** Links {@code p} after the last entry whose key is not after {@code k} (eb32 puts duplicates last). */
    private void insert(int p, int k) {
        key[p] = k;
        int after = last;
        while (after != 0 && key[after - 1] - k > 0) {
            after = prev[after - 1];
        }
        int before = after == 0 ? first : next[after - 1];
        prev[p] = after;
        next[p] = before;
        if (after == 0) {
            first = p + 1;
        } else {
            next[after - 1] = p + 1;
        }
        if (before == 0) {
            last = p + 1;
        } else {
            prev[before - 1] = p + 1;
        }
    }

    private void unlink(int p) {
        int a = prev[p];
        int b = next[p];
        if (a == 0) {
            first = b;
        } else {
            next[a - 1] = b;
        }
        if (b == 0) {
            last = a;
        } else {
            prev[b - 1] = a;
        }
    }

    @Override
    void remove(int p, Entries e) {
        unlink(p);
    }

    @Override
    void moved(int from, int to, Entries e) {
        int a = prev[from];
        int b = next[from];
        prev[to] = a;
        next[to] = b;
        key[to] = key[from];
        if (a == 0) {
            first = to + 1;
        } else {
            next[a - 1] = to + 1;
        }
        if (b == 0) {
            last = to + 1;
        } else {
            prev[b - 1] = to + 1;
        }
        if (cursor == from + 1) {
            cursor = to + 1;
        }
    }

    @Override
    void touched(int p, Entries e) {
        // HAProxy leaves the node where it is: the walks see expire != key and requeue it then
        dueBy(e.expiry(p));
    }

    /**
     * Requeues {@code p} with its current expiry as key; the walk resumes there when that comes before the
     * walk's next entry ({@code if (!eb || eb->key > ts->exp.key) eb = &ts->exp}).
     */
    private void requeue(int p, int expiry) {
        unlink(p);
        insert(p, expiry);
        if (cursor == 0 || key[cursor - 1] - expiry > 0) {
            cursor = p + 1;
        }
    }

    /** HAProxy's {@code __stktable_trash_oldest()}. */
    @Override
    int purge(int batch, int now, Entries e) {
        int maxSearch = 2 * batch;
        int purged = 0;
        boolean looped = false;
        cursor = first;
        while (purged < batch) {
            if (cursor == 0) {
                // the end: HAProxy starts from the oldest key and loops back once
                if (looped) {
                    break;
                }
                looped = true;
                cursor = first;
                if (cursor == 0) {
                    break;
                }
            }
            if (--maxSearch < 0) {
                break;
            }
            int p = cursor - 1;
            cursor = next[p];
            if (e.referenced(p)) {
                continue;
            }
            int expiry = e.expiry(p);
            if (expiry != key[p]) {
                requeue(p, expiry);
                continue;
            }
            // the cursor follows the entries the deletion shifts (moved())
            e.delete(p);
            purged++;
        }
        cursor = 0;
        return purged;
    }

    /**
     * HAProxy's {@code process_table_expire()} when it is due, at most {@code budget} entries visited (a walk
     * cut short stays due).
     */
    @Override
    boolean sweepDue(int now, Entries e) {
        return due && now - dueAt >= 0;
    }

    @Override
    int sweep(int now, int budget, Entries e) {
        if (!sweepDue(now, e)) {
            return 0;
        }
        int n = 0;
        cursor = first;
        due = false;
        while (cursor != 0) {
            int p = cursor - 1;
            if (now - key[p] < 0) {
                // not expired yet: revisit then
                dueBy(key[p]);
                break;
            }
            if (n == budget) {
                dueBy(now);
                break;
            }
            n++;
            cursor = next[p];
            if (e.referenced(p)) {
                continue;
            }
            if (!e.expired(p, now)) {
                requeue(p, e.expiry(p));
                continue;
            }
            // the cursor follows the entries the deletion shifts (moved())
            e.delete(p);
        }
        cursor = 0;
        return n;
    }

    @Override
    int[] oldestFirst(int[] keys, Entries e) {
        int n = 0;
        for (int s = first; s != 0; s = next[s - 1]) {
            n++;
        }
        int[] out = new int[n];
        n = 0;
        for (int s = first; s != 0; s = next[s - 1]) {
            keys[n] = key[s - 1];
            out[n++] = s - 1;
        }
        return out;
    }

    @Override
    void forEachNewestFirst(IntConsumer visitor, Entries e) {
        for (int s = last; s != 0; s = prev[s - 1]) {
            visitor.accept(s - 1);
        }
    }

    @Override
    long footprint() {
        return 12L * prev.length;
    }
}
