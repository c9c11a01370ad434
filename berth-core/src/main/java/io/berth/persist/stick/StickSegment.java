package io.berth.persist.stick;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stripe of a {@link StickTable}: a chained hash index plus a doubly linked recency queue, all in primitive
 * arrays (no object per entry). Slot {@code i} owns {@code keys[i*keyWords ..]}, {@code data[i*dataWords ..]},
 * {@code exp[i]} and its links; links and bucket heads hold {@code slot+1} so that 0 means "none" and freshly
 * allocated arrays need no filling. Arrays start small and grow up to {@link #capacity}. (One array per field
 * rather than one record per entry: a segment's keys pack 16 to a cache line, which is what scans and lookups of
 * entries stored together hit; a record layout measured 25% slower on insert.)
 *
 * <p>Every entry's expiry is {@code last touch + expire}, so the queue is also the expiry order: the tail is both
 * the entry HAProxy's {@code __stktable_trash_oldest()} purges first and the next to expire. That gives O(1)
 * eviction and an incremental expiry sweep from the tail with no timer per entry.
 *
 * <p>Two recency modes. Exact (tables with one segment, i.e. under 16384 entries, where eviction order is
 * visible): every touch moves the entry to the head under the lock. Lazy (big tables, already split in
 * segments): a hit only rewrites the entry's expiry, without the lock, and the entry is requeued when it reaches
 * the tail of the queue, as HAProxy 2.6 itself requeues a touched entry in its expiry tree only when its purge or
 * expiry walk meets it ({@code ts->expire != ts->exp.key}). The "touched since queued" mark is the expiry's low
 * bit: queued entries hold an even expiry, a touch writes an odd one (so lazy tables round expiries up by at
 * most 2 ms); a marked tail goes back to the head instead of being purged.
 *
 * <p>Threads: every mutation runs under this segment's monitor (taken by {@link StickTable}) and is bracketed by
 * {@link #version} increments (a seqlock), so {@link #lookup1Optimistic} reads without locking and retries under
 * the lock when a writer was active. The only write made without the lock is a lazy-mode hit's expiry refresh:
 * a plain int store that at worst refreshes an entry inserted into the same slot meanwhile (it gets the expiry it
 * was just given anyway).
 */
final class StickSegment {
    /** {@link #lookup1Optimistic}: a writer was active, run the operation under the lock. */
    static final int RETRY = -2;
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(StickSegment.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Most slots this segment may hold. */
    final int capacity;
    /** Its share of the table's size: the growth step changes past it, and the eviction batch derives from it. */
    private final int share;
    private final int keyWords;
    private final int dataWords;
    private final int expireMs;
    private final boolean nopurge;
    final boolean lazy;
    /** The table's entry count and size when it has several segments (HAProxy's bound is the table's), or null. */
    private final AtomicInteger tableCount;
    private final int tableSize;

    int[] keys;
    int[] data;
    int[] exp;
    private int[] prev;
    private int[] next;
    private int[] chain;
    private int[] buckets;
    private int slots;
    private int head;
    private int tail;
    private int freeList;
    private int fresh;
    int used;
    /** Seqlock word: odd while a writer is changing the segment. Accessed through {@link #VERSION}. */
    @SuppressWarnings("unused")
    private int version;

    StickSegment(int share, int capacity, int keyWords, int dataWords, int expireMs, boolean nopurge,
                 AtomicInteger tableCount, int tableSize) {
        this.share = share;
        this.capacity = capacity;
        this.keyWords = keyWords;
        this.dataWords = dataWords;
        this.expireMs = expireMs;
        this.nopurge = nopurge;
        this.tableCount = tableCount;
        this.tableSize = tableSize;
        this.lazy = tableCount != null;
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
        // one bucket per slot up to the share (a power of two); past it chains grow a little longer
        buckets = new int[Integer.highestOneBit(Math.max(2, Math.min(n, share)) - 1) << 1];
    }

    private void beginWrite() {
        VERSION.setOpaque(this, (int) VERSION.getOpaque(this) + 1);
        VarHandle.storeStoreFence();
    }

    private void endWrite() {
        VERSION.setRelease(this, (int) VERSION.getOpaque(this) + 1);
    }

    /**
     * Grows the arrays (doubling up to the share, then by 1/32 of it up to capacity) and rehashes the live
     * entries; slot numbers do not change. Inside a write.
     */
    private void grow() {
        int n = slots < share ? (int) Math.min(share, slots * 2L)
                : (int) Math.min(capacity, slots + Math.max(64L, share >> 5));
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
        int mask = buckets.length - 1;
        for (int s = head; s != 0; s = next[s - 1]) {
            int i = s - 1;
            int b = hashAt(i) & mask;
            chain[i] = buckets[b];
            buckets[b] = s;
        }
    }

    int keyBase(int i) {
        return i * keyWords;
    }

    int dataBase(int i) {
        return i * dataWords;
    }

    private int hashAt(int i) {
        return StickTable.hash(keys, i * keyWords, keyWords);
    }

    /** The slot holding {@code key[ko..]} (hash {@code h}), or -1. Under the lock. */
    int find(int[] key, int ko, int h) {
        for (int s = buckets[h & (buckets.length - 1)]; s != 0; ) {
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

    /** {@link #find} for one-word keys (ip, integer) without an array. Under the lock. */
    int find1(int key, int h) {
        for (int s = buckets[h & (buckets.length - 1)]; s != 0; ) {
            int i = s - 1;
            if (keys[i] == key) {
                return i;
            }
            s = chain[i];
        }
        return -1;
    }

    /**
     * A lazy-mode {@code stick match} of a one-word key without the lock: the stored
     * {@code server_key << 32 | server_id} of a live entry (its expiry refreshed), {@link StickTable#ABSENT}, or
     * {@link #RETRY} when a writer was active or the entry has expired (its deletion needs the lock). Offsets are
     * -1 for data the table does not store.
     */
    long lookup1Optimistic(int key, int h, int now, int idOff, int keyOff) {
        int v = (int) VERSION.getAcquire(this);
        if ((v & 1) != 0) {
            return RETRY;
        }
        int[] b = buckets;
        int[] k = keys;
        int[] c = chain;
        int[] e = exp;
        int[] d = data;
        int s = b[h & (b.length - 1)];
        int i = -1;
        for (int hops = 0; s != 0; hops++) {
            // a torn read can lead anywhere: stay in bounds and give up on a suspiciously long chain
            if (s > k.length || s > c.length || hops > 64) {
                return RETRY;
            }
            if (k[s - 1] == key) {
                i = s - 1;
                break;
            }
            s = c[s - 1];
        }
        long out = StickTable.ABSENT;
        int ex = 0;
        if (i >= 0) {
            int base = i * dataWords;
            if (i >= e.length || base + dataWords > d.length) {
                return RETRY;
            }
            ex = e[i];
            long id = idOff < 0 ? 0 : d[base + idOff] & 0xffffffffL;
            long sk = keyOff < 0 ? 0 : d[base + keyOff] & 0xffffffffL;
            out = sk << 32 | id;
        }
        VarHandle.loadLoadFence();
        if ((int) VERSION.getOpaque(this) != v) {
            return RETRY;
        }
        if (i >= 0) {
            if (expireMs != 0 && ex - now <= 0) {
                return RETRY;
            }
            int fresh = touched(now);
            if (ex != fresh) {
                e[i] = fresh;
            }
        }
        return out;
    }

    boolean isExpired(int i, int now) {
        return expireMs != 0 && exp[i] - now <= 0;
    }

    /**
     * HAProxy's check before allocating an entry ({@code __stksess_new}): when the segment (or the table) is
     * full, {@code nopurge} refuses (false); otherwise up to {@code (share>>8)+1} entries with the nearest expiry
     * are purged.
     */
    boolean makeRoom() {
        if (used < capacity && (tableCount == null || tableCount.get() < tableSize)) {
            return true;
        }
        if (nopurge) {
            return false;
        }
        int batch = (share >> 8) + 1;
        beginWrite();
        try {
            // lazy mode requeues touched entries on the way; bound that walk
            for (int n = 0, requeued = 0; n < batch && tail != 0; ) {
                if (lazy && requeued < 4 * batch + 16 && touchedSinceQueued(tail - 1)) {
                    requeue(tail - 1);
                    requeued++;
                } else {
                    removeSlot(tail - 1);
                    n++;
                }
            }
        } finally {
            endWrite();
        }
        return used < capacity;
    }

    /** Lazy mode: the entry was touched since it was queued (odd expiry). */
    private boolean touchedSinceQueued(int i) {
        return (exp[i] & 1) != 0;
    }

    /** Lazy mode: a touched entry goes to the head, its mark cleared (the expiry rounded up to even). */
    private void requeue(int i) {
        unlinkRecency(i);
        pushHead(i);
        exp[i]++;
    }

    /** The expiry a touch at {@code now} gives: lazy mode marks it odd (touched since queued). */
    private int touched(int now) {
        int e = now + expireMs;
        return lazy ? e | 1 : e;
    }

    /** Inserts an absent key with zeroed data, most recent; the caller made room. Returns the slot. */
    int insert(int[] key, int ko, int h, int now) {
        beginWrite();
        try {
            int i = allocSlot();
            System.arraycopy(key, ko, keys, i * keyWords, keyWords);
            return link(i, h, now);
        } finally {
            endWrite();
        }
    }

    /** {@link #insert} for one-word keys. */
    int insert1(int key, int h, int now) {
        beginWrite();
        try {
            int i = allocSlot();
            keys[i] = key;
            return link(i, h, now);
        } finally {
            endWrite();
        }
    }

    private int link(int i, int h, int now) {
        java.util.Arrays.fill(data, i * dataWords, (i + 1) * dataWords, 0);
        int b = h & (buckets.length - 1);
        chain[i] = buckets[b];
        buckets[b] = i + 1;
        // lazy mode queues entries with an even expiry (rounded up): an odd one marks a touch since
        int e = now + expireMs;
        exp[i] = lazy ? e + (e & 1) : e;
        pushHead(i);
        used++;
        if (tableCount != null) {
            tableCount.incrementAndGet();
        }
        return i;
    }

    private void pushHead(int i) {
        prev[i] = 0;
        next[i] = head;
        if (head != 0) {
            prev[head - 1] = i + 1;
        } else {
            tail = i + 1;
        }
        head = i + 1;
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

    /** Refreshes the expiry ({@code now + expire}) and, in exact mode, makes the entry the most recent. */
    void touch(int i, int now) {
        int e = touched(now);
        if (lazy || head == i + 1) {
            if (exp[i] != e) {
                exp[i] = e;
            }
            return;
        }
        beginWrite();
        exp[i] = e;
        unlinkRecency(i);
        pushHead(i);
        endWrite();
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
        beginWrite();
        try {
            int e = now + (int) lifetimeMs;
            // lazy mode: a queued entry holds an even expiry (odd marks a touch since queued)
            exp[i] = lazy ? e + (e & 1) : e;
            e = exp[i];
            int s = i + 1;
            unlinkRecency(i);
            // cur: the first entry (from the tail) expiring after e; the entry goes right behind it
            int cur = tail;
            int steps = 0;
            while (cur != 0 && exp[cur - 1] - e <= 0 && steps++ < PLACE_STEPS) {
                cur = prev[cur - 1];
            }
            if (cur == 0 || exp[cur - 1] - e <= 0) {
                pushHead(i);
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
        } finally {
            endWrite();
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

    /** Sets one data word (under the lock; seen atomically by optimistic readers). */
    void writeData(int i, int off, int value) {
        beginWrite();
        data[i * dataWords + off] = value;
        endWrite();
    }

    /** Brackets a caller's direct writes to an entry's data ({@link StickEntry}) for optimistic readers. */
    void beginDataWrite() {
        beginWrite();
    }

    void endDataWrite() {
        endWrite();
    }

    /** Deletes the entry in slot {@code i}. */
    void remove(int i) {
        beginWrite();
        try {
            removeSlot(i);
        } finally {
            endWrite();
        }
    }

    private void removeSlot(int i) {
        unlinkRecency(i);
        int b = hashAt(i) & (buckets.length - 1);
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
        if (tableCount != null) {
            tableCount.decrementAndGet();
        }
    }

    /**
     * Deletes up to {@code budget} expired entries from the tail; returns how many entries it visited (deleted,
     * or in lazy mode requeued because they were touched since queued), so a caller can bound its pause.
     */
    int sweep(int now, int budget) {
        if (tail == 0 || !isExpired(tail - 1, now) && !(lazy && touchedSinceQueued(tail - 1))) {
            return 0;
        }
        int n = 0;
        beginWrite();
        try {
            while (n < budget && tail != 0) {
                int t = tail - 1;
                if (isExpired(t, now)) {
                    removeSlot(t);
                } else if (lazy && touchedSinceQueued(t)) {
                    requeue(t);
                } else {
                    break;
                }
                n++;
            }
        } finally {
            endWrite();
        }
        return n;
    }

    void clear() {
        beginWrite();
        try {
            while (tail != 0) {
                removeSlot(tail - 1);
            }
        } finally {
            endWrite();
        }
    }

    /** Slots from the most to the least recent (for dumps); the visitor must not modify the segment. */
    void forEach(java.util.function.IntConsumer visitor) {
        for (int s = head; s != 0; s = next[s - 1]) {
            visitor.accept(s - 1);
        }
    }

    /** Bytes held by the arrays (for the benchmark's bytes-per-entry figure). */
    long footprint() {
        return 4L * (keys.length + data.length + exp.length + prev.length + next.length + chain.length
                + buckets.length);
    }
}
