package io.berth.persist.stick;

/**
 * One stripe of a {@link StickTable}: a chained hash index plus a doubly linked recency list, all in primitive
 * arrays (no object per entry). Slot {@code i} owns {@code keys[i*keyWords ..]}, {@code data[i*dataWords ..]},
 * {@code exp[i]} and its links; links and bucket heads hold {@code slot+1} so that 0 means "none" and freshly
 * allocated arrays need no filling. Arrays start small and double up to {@code capacity}.
 *
 * <p>Every entry's expiry is {@code last touch + expire}, so the recency list is also the expiry order: the tail
 * is both the entry HAProxy's {@code __stktable_trash_oldest()} purges first (nearest expiry) and the next to
 * expire. That gives O(1) eviction and an incremental expiry sweep from the tail with no timer per entry.
 *
 * <p>Not thread-safe: {@link StickTable} calls every method while holding this segment's monitor.
 */
final class StickSegment {
    final int capacity;
    private final int keyWords;
    private final int dataWords;
    private final int expireMs;
    private final boolean nopurge;

    int[] keys;
    int[] data;
    int[] exp;
    private int[] prev;
    private int[] next;
    private int[] chain;
    private int[] buckets;
    private int mask;
    private int slots;
    private int head;
    private int tail;
    private int freeList;
    private int fresh;
    int used;

    StickSegment(int capacity, int keyWords, int dataWords, int expireMs, boolean nopurge) {
        this.capacity = capacity;
        this.keyWords = keyWords;
        this.dataWords = dataWords;
        this.expireMs = expireMs;
        this.nopurge = nopurge;
        allocate(Math.min(capacity, 256));
    }

    private void allocate(int n) {
        slots = n;
        keys = new int[n * keyWords];
        data = new int[n * dataWords];
        exp = new int[n];
        prev = new int[n];
        next = new int[n];
        chain = new int[n];
        buckets = new int[Integer.highestOneBit(Math.max(1, n - 1)) << 1];
        mask = buckets.length - 1;
    }

    /** Doubles the arrays (up to capacity) and rehashes the live entries; slot numbers do not change. */
    private void grow() {
        int n = (int) Math.min(capacity, slots * 2L);
        int[] k = keys;
        int[] d = data;
        int[] e = exp;
        int[] p = prev;
        int[] x = next;
        int[] c = chain;
        int old = slots;
        allocate(n);
        System.arraycopy(k, 0, keys, 0, old * keyWords);
        System.arraycopy(d, 0, data, 0, old * dataWords);
        System.arraycopy(e, 0, exp, 0, old);
        System.arraycopy(p, 0, prev, 0, old);
        System.arraycopy(x, 0, next, 0, old);
        System.arraycopy(c, 0, chain, 0, old);
        // chain holds bucket links for live slots and free-list links for freed ones; rebuild the first kind only
        for (int s = head; s != 0; s = next[s - 1]) {
            int i = s - 1;
            int b = hashAt(i) & mask;
            chain[i] = buckets[b];
            buckets[b] = s;
        }
    }

    private int hashAt(int i) {
        return StickTable.hash(keys, i * keyWords, keyWords);
    }

    /** The slot holding {@code key[ko..]} (hash {@code h}), or -1. */
    int find(int[] key, int ko, int h) {
        for (int s = buckets[h & mask]; s != 0; ) {
            int i = s - 1;
            int base = i * keyWords;
            int w = 0;
            while (w < keyWords && keys[base + w] == key[ko + w]) {
                w++;
            }
            if (w == keyWords) {
                return i;
            }
            s = chain[i];
        }
        return -1;
    }

    /** {@link #find} for one-word keys (ip, integer) without an array. */
    int find1(int key, int h) {
        for (int s = buckets[h & mask]; s != 0; ) {
            int i = s - 1;
            if (keys[i] == key) {
                return i;
            }
            s = chain[i];
        }
        return -1;
    }

    boolean isExpired(int i, int now) {
        return expireMs != 0 && exp[i] - now <= 0;
    }

    /**
     * HAProxy's check before allocating an entry ({@code __stksess_new}): when the segment is full, {@code nopurge}
     * refuses (false); otherwise up to {@code (capacity>>8)+1} entries with the nearest expiry are purged.
     */
    boolean makeRoom() {
        if (used < capacity) {
            return true;
        }
        if (nopurge) {
            return false;
        }
        int batch = (capacity >> 8) + 1;
        for (int n = 0; n < batch && tail != 0; n++) {
            remove(tail - 1);
        }
        return used < capacity;
    }

    /** Inserts an absent key with zeroed data, most recent; the caller made room. Returns the slot. */
    int insert(int[] key, int ko, int h, int now) {
        int i = allocSlot();
        System.arraycopy(key, ko, keys, i * keyWords, keyWords);
        return link(i, h, now);
    }

    /** {@link #insert} for one-word keys. */
    int insert1(int key, int h, int now) {
        int i = allocSlot();
        keys[i] = key;
        return link(i, h, now);
    }

    private int link(int i, int h, int now) {
        java.util.Arrays.fill(data, i * dataWords, (i + 1) * dataWords, 0);
        int b = h & mask;
        chain[i] = buckets[b];
        buckets[b] = i + 1;
        prev[i] = 0;
        next[i] = head;
        if (head != 0) {
            prev[head - 1] = i + 1;
        } else {
            tail = i + 1;
        }
        head = i + 1;
        exp[i] = now + expireMs;
        used++;
        return i;
    }

    private int allocSlot() {
        if (freeList != 0) {
            int i = freeList - 1;
            freeList = chain[i];
            return i;
        }
        if (fresh == slots) {
            grow();
        }
        return fresh++;
    }

    /** Refreshes the expiry ({@code now + expire}) and makes the entry the most recent. */
    void touch(int i, int now) {
        exp[i] = now + expireMs;
        int s = i + 1;
        if (head == s) {
            return;
        }
        unlinkRecency(i);
        prev[i] = 0;
        next[i] = head;
        prev[head - 1] = s;
        head = s;
    }

    /** Walk bound of {@link #touchFor}'s search for its place in the expiry order. */
    private static final int PLACE_STEPS = 64;

    /**
     * {@link #touch} with a given remaining lifetime (an entry learned from a peer or handed over on reload):
     * {@code lifetimeMs} below {@code expire} makes it expire earlier than a fresh touch, so it is placed where
     * its expiry falls in the recency list, found from the tail in at most {@link #PLACE_STEPS} steps (a resync
     * sends entries most recent first, which lands each at once). Past that bound it goes to the head: it then
     * expires on lookup as usual and is swept a little late, never early.
     */
    void touchFor(int i, int now, long lifetimeMs) {
        if (expireMs == 0 || lifetimeMs < 0 || lifetimeMs >= expireMs) {
            touch(i, now);
            return;
        }
        int e = now + (int) lifetimeMs;
        exp[i] = e;
        int s = i + 1;
        unlinkRecency(i);
        // cur: the first entry (from the tail) expiring after e; the entry goes right behind it
        int cur = tail;
        int steps = 0;
        while (cur != 0 && exp[cur - 1] - e <= 0 && steps++ < PLACE_STEPS) {
            cur = prev[cur - 1];
        }
        if (cur == 0 || exp[cur - 1] - e <= 0) {
            prev[i] = 0;
            next[i] = head;
            if (head != 0) {
                prev[head - 1] = s;
            } else {
                tail = s;
            }
            head = s;
            return;
        }
        int after = next[cur - 1];
        prev[i] = cur;
        next[i] = after;
        next[cur - 1] = s;
        if (after != 0) {
            prev[after - 1] = s;
        } else {
            tail = s;
        }
    }

    private void unlinkRecency(int i) {
        int p = prev[i];
        int n = next[i];
        if (p != 0) {
            next[p - 1] = n;
        } else {
            head = n;
        }
        if (n != 0) {
            prev[n - 1] = p;
        } else {
            tail = p;
        }
    }

    /** Deletes the entry in slot {@code i}. */
    void remove(int i) {
        unlinkRecency(i);
        int b = hashAt(i) & mask;
        int s = buckets[b];
        if (s == i + 1) {
            buckets[b] = chain[i];
        } else {
            while (chain[s - 1] != i + 1) {
                s = chain[s - 1];
            }
            chain[s - 1] = chain[i];
        }
        chain[i] = freeList;
        freeList = i + 1;
        used--;
    }

    /** Deletes up to {@code budget} expired entries from the tail; returns how many. */
    int sweep(int now, int budget) {
        int n = 0;
        while (n < budget && tail != 0 && isExpired(tail - 1, now)) {
            remove(tail - 1);
            n++;
        }
        return n;
    }

    void clear() {
        while (tail != 0) {
            remove(tail - 1);
        }
    }

    /** Slots from the most to the least recent (for dumps); the visitor must not modify the segment. */
    void forEach(java.util.function.IntConsumer visitor) {
        for (int s = head; s != 0; s = next[s - 1]) {
            visitor.accept(s - 1);
        }
    }

    int dataBase(int i) {
        return i * dataWords;
    }

    /** Bytes held by the arrays (for the benchmark's bytes-per-entry figure). */
    long footprint() {
        return 4L * (keys.length + data.length + exp.length + prev.length + next.length + chain.length
                + buckets.length);
    }
}
