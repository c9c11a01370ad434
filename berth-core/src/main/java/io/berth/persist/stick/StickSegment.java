package io.berth.persist.stick;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stripe of a {@link StickTable}: an open-addressing hash table (linear probing, deletion by backward shift,
 * so no tombstones) whose entries are stored inline, and a recency queue kept as a ring of positions. No object per
 * entry:
 * <ul>
 * <li>{@code rec}: per position, the entry's place in the ring plus one (0 marks a free position), the key words,
 *     the expiry tick and the data words side by side ({@link #stride} ints: 16 bytes for {@code type ip store
 *     server_id}). A lookup reads one record, so a hit costs one memory access where a chained index costs a
 *     chain of dependent ones. The table is at most half full, so probe runs stay short and a deletion rarely
 *     moves more than one entry.</li>
 * <li>{@code ring}: positions (plus one) in queue order, oldest at {@link #ringTail}; 0 is a hole left by an entry
 *     that was deleted or moved to the head. Requeueing an entry leaves a hole and appends it, so every queue
 *     operation is O(1) and eviction reads the ring sequentially (the records it visits are independent loads,
 *     unlike a linked list's walk). When the ring is full of holes it is compacted, which is amortised O(1) as
 *     the ring holds at least twice the entries.</li>
 * </ul>
 * Positions are only stable between two mutations: a deletion shifts the following entries of its probe run back
 * (their ring slots follow), and growth rehashes everything. Callers ({@link StickTable}) use a position right
 * after finding it, under the lock.
 *
 * <p>The queue is also the expiry order, since an entry's expiry is {@code last touch + expire}: its oldest entry
 * is both the one HAProxy's {@code __stktable_trash_oldest()} purges first and the next to expire. That gives
 * O(1) eviction and an incremental expiry sweep from the oldest end with no timer per entry. (An entry learned
 * from a peer or a previous process with less than {@code expire} to live is queued as the newest: it expires on
 * lookup at its own time and is swept when the sweep reaches it.)
 *
 * <p>Two recency modes. Exact (tables with one segment, i.e. under 16384 entries, where eviction order is
 * visible): every touch requeues the entry under the lock. Lazy (big tables, already split in segments): a hit
 * only rewrites the entry's expiry, without the lock, and the entry is requeued when it reaches the oldest end of
 * the queue, as HAProxy 2.6 itself requeues a touched entry in its expiry tree only when its purge or expiry walk
 * meets it ({@code ts->expire != ts->exp.key}). The "touched since queued" mark is the expiry's low bit: queued
 * entries hold an even expiry, a touch writes an odd one (so lazy tables round expiries up by at most 2 ms); a
 * marked oldest entry is requeued instead of purged.
 *
 * <p>Threads: every mutation runs under this segment's monitor (taken by {@link StickTable}) and is bracketed by
 * {@link #version} increments (a seqlock), so {@link #lookup1Optimistic} reads without locking and retries under
 * the lock when a writer was active. The only write made without the lock is a lazy-mode hit's expiry refresh:
 * a plain int store to the position just validated; if a writer moved the entry in between, the refresh lands on
 * whatever took the position (it lives a little longer) and the moved entry keeps its previous expiry.
 */
final class StickSegment {
    /** {@link #lookup1Optimistic}: a writer was active, run the operation under the lock. */
    static final int RETRY = -2;
    /** Linear probes an optimistic reader makes before it suspects a torn read and takes the lock. */
    private static final int MAX_OPTIMISTIC_PROBES = 64;
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(StickSegment.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Most entries this segment may hold. */
    final int capacity;
    /** Its share of the table's size: the eviction batch derives from it. */
    private final int share;
    private final int keyWords;
    private final int dataWords;
    /** Ints per record: ring slot, key words, expiry, data words. */
    private final int stride;
    /** Offsets in a record of the expiry and of the first data word (the key starts at 1). */
    private final int expOff;
    private final int dataOff;
    private final int expireMs;
    private final boolean nopurge;
    final boolean lazy;
    /** Hash bits the table used to choose this segment (the top ones): the home position uses the others. */
    private final int hashShift;
    /** Positions at full size: twice {@link #capacity}. */
    private final int maxPositions;
    /** The table's entry count and size when it has several segments (HAProxy's bound is the table's), or null. */
    private final AtomicInteger tableCount;
    private final int tableSize;

    /** Records; also the array {@link StickEntry} views (see {@link #dataBase}). */
    int[] rec;
    /** Positions in {@link #rec}: its length over the stride. */
    private int positions;
    /** The recency queue: position + 1 per slot, 0 for a hole; see {@link #ringLength}. */
    private int[] ring;
    /** Tickets (wrapping counters; slot = ticket & mask): the oldest queued, and the next to hand out. */
    private int ringTail;
    private int ringHead;
    int used;
    /**
     * Per position, how many streams track the entry (HAProxy's {@code ref_cnt}): such an entry is neither purged
     * nor expired. Null until the first reference, so tables nothing tracks pay nothing.
     */
    private int[] refs;
    /** Keeps {@link #warm}'s loads alive; never read. */
    @SuppressWarnings("unused")
    private int warmSink;
    /** Seqlock word: odd while a writer is changing the segment. Accessed through {@link #VERSION}. */
    @SuppressWarnings("unused")
    private int version;

    StickSegment(int share, int capacity, int keyWords, int dataWords, int expireMs, boolean nopurge,
                 AtomicInteger tableCount, int tableSize, int hashShift) {
        this.share = share;
        this.capacity = capacity;
        this.keyWords = keyWords;
        this.dataWords = dataWords;
        this.stride = keyWords + dataWords + 2;
        this.expOff = keyWords + 1;
        this.dataOff = keyWords + 2;
        this.expireMs = expireMs;
        this.nopurge = nopurge;
        this.tableCount = tableCount;
        this.tableSize = tableSize;
        this.lazy = tableCount != null;
        this.hashShift = hashShift;
        this.maxPositions = (int) Math.min((Integer.MAX_VALUE >> 2) / stride, 2L * capacity + 1);
        int n = Math.min(maxPositions, 256);
        rec = new int[n * stride];
        positions = n;
        ring = new int[ringLength(n)];
    }

    /**
     * A ring for {@code positions}: a power of two of at least 1.5 times the most entries they hold (half of
     * them), so a compaction always frees a third of the ring and costs O(1) per queue operation overall.
     */
    private static int ringLength(int positions) {
        return Integer.highestOneBit(Math.max(16, positions * 3 / 4) - 1) << 1;
    }

    private void beginWrite() {
        VERSION.setOpaque(this, (int) VERSION.getOpaque(this) + 1);
        VarHandle.storeStoreFence();
    }

    private void endWrite() {
        VERSION.setRelease(this, (int) VERSION.getOpaque(this) + 1);
    }

    /**
     * The first position to probe for hash {@code h} among {@code n}: the bits below those that chose the
     * segment, scaled to {@code n} (a multiply, no power-of-two size needed).
     */
    private int home(int h, int n) {
        return (int) (((h << hashShift) & 0xffffffffL) * n >>> 32);
    }

    int keyBase(int i) {
        return i * stride + 1;
    }

    int dataBase(int i) {
        return i * stride + dataOff;
    }

    int expiry(int i) {
        return rec[i * stride + expOff];
    }

    /** Streams tracking the entry at position {@code i}. */
    int refs(int i) {
        return refs == null ? 0 : refs[i];
    }

    boolean referenced(int i) {
        return refs != null && refs[i] != 0;
    }

    /** Takes ({@code +1}) or gives back ({@code -1}) a reference to the entry at position {@code i}. Under the lock. */
    void addRef(int i, int delta) {
        if (refs == null) {
            if (delta <= 0) {
                return;
            }
            refs = new int[positions];
        }
        refs[i] = Math.max(0, refs[i] + delta);
    }

    /** The position holding {@code key[ko..]} (hash {@code h}), or -1. Under the lock. */
    int find(int[] key, int ko, int h) {
        int[] r = rec;
        int n = positions;
        for (int p = home(h, n); ; ) {
            int base = p * stride;
            if (r[base] == 0) {
                return -1;
            }
            int w = 0;
            while (w < keyWords && r[base + 1 + w] == key[ko + w]) {
                w++;
            }
            if (w == keyWords) {
                return p;
            }
            if (++p == n) {
                p = 0;
            }
        }
    }

    /** {@link #find} for one-word keys (ip, integer) without an array. Under the lock. */
    int find1(int key, int h) {
        int[] r = rec;
        int n = positions;
        for (int p = home(h, n); ; ) {
            int base = p * stride;
            if (r[base] == 0) {
                return -1;
            }
            if (r[base + 1] == key) {
                return p;
            }
            if (++p == n) {
                p = 0;
            }
        }
    }

    /**
     * A lazy-mode {@code stick match} of a one-word key without the lock: the stored
     * {@code server_key << 32 | server_id} of a live entry (its expiry refreshed), {@link StickTable#ABSENT}, or
     * {@link #RETRY} when a writer was active or the entry has expired (its deletion needs the lock). Offsets are
     * -1 for data the table does not store.
     */
    long lookup1Optimistic(int key, int h, int now, int idOff, int keyOff) {
        int v = (int) VERSION.getAcquire(this);
        // a writer may replace the array meanwhile: stay within the snapshot read here (the version says the rest)
        int[] r = rec;
        int n = positions;
        if ((v & 1) != 0 || (long) n * stride > r.length) {
            return RETRY;
        }
        int base = probe1(r, n, h, key);
        if (base == RETRY) {
            return RETRY;
        }
        long out = StickTable.ABSENT;
        int ex = 0;
        if (base >= 0) {
            ex = r[base + expOff];
            long id = idOff < 0 ? 0 : r[base + dataOff + idOff] & 0xffffffffL;
            long sk = keyOff < 0 ? 0 : r[base + dataOff + keyOff] & 0xffffffffL;
            out = sk << 32 | id;
        }
        VarHandle.loadLoadFence();
        if ((int) VERSION.getOpaque(this) != v) {
            return RETRY;
        }
        if (base >= 0) {
            if (expireMs != 0 && ex - now <= 0) {
                return RETRY;
            }
            int fresh = touched(now);
            if (ex != fresh) {
                r[base + expOff] = fresh;
            }
        }
        return out;
    }

    /**
     * The optimistic probe: the index in {@code r} of the record of {@code key}, -1 when absent, or
     * {@link #RETRY} after {@link #MAX_OPTIMISTIC_PROBES} (a torn read could loop over a full run). Kept apart so
     * that both methods stay small enough for the JIT to inline into the caller.
     */
    private int probe1(int[] r, int n, int h, int key) {
        int base = home(h, n) * stride;
        int end = n * stride;
        for (int probes = 0; probes < MAX_OPTIMISTIC_PROBES; probes++) {
            if (r[base] == 0) {
                return -1;
            }
            if (r[base + 1] == key) {
                return base;
            }
            base += stride;
            if (base == end) {
                base = 0;
            }
        }
        return RETRY;
    }

    boolean isExpired(int i, int now) {
        return expireMs != 0 && rec[i * stride + expOff] - now <= 0;
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
        warmSink += warm(batch);
        beginWrite();
        try {
            // entries in use are passed over and lazy mode requeues touched ones on the way: bound that walk
            for (int n = 0, passed = 0; n < batch; ) {
                int t = oldest();
                if (t < 0) {
                    break;
                }
                if (referenced(t)) {
                    if (passed++ == 4 * batch + 16) {
                        break;
                    }
                    dequeue(t);
                    enqueue(t);
                } else if (lazy && touchedSinceQueued(t) && passed < 4 * batch + 16) {
                    passed++;
                    requeue(t);
                } else {
                    removeAt(t);
                    n++;
                }
            }
        } finally {
            endWrite();
        }
        return used < capacity;
    }

    /**
     * Reads the records of the next {@code n} queued entries, oldest first, so that the batch purge that follows
     * finds them in cache: these loads are independent and their misses overlap, while the purge's own loads
     * wait on each other (Java has no prefetch instruction; the sum goes to {@link #warmSink} so the JIT keeps the
     * loads).
     */
    private int warm(int n) {
        int[] q = ring;
        int mask = q.length - 1;
        int sum = 0;
        for (int t = ringTail, k = 0; k < n && t != ringHead; t++, k++) {
            int s = q[t & mask];
            if (s != 0) {
                // the record, and the one after it where the purge's backward shift looks next
                int at = (s - 1) * stride;
                sum += rec[at + expOff] + rec[Math.min(at + stride, rec.length - 1)];
            }
        }
        return sum;
    }

    /**
     * Reads, without the lock, the first record a lookup or insert of hash {@code h} will probe, so that its
     * cache miss overlaps with taking the lock. The value read means nothing (a writer may be active).
     */
    void warmHome(int h) {
        int[] r = rec;
        int at = home(h, positions) * stride;
        if (at < r.length) {
            warmSink += r[at];
        }
    }

    /** Lazy mode: the entry was touched since it was queued (odd expiry). */
    private boolean touchedSinceQueued(int i) {
        return (rec[i * stride + expOff] & 1) != 0;
    }

    /** Lazy mode: a touched entry goes to the head, its mark cleared (the expiry rounded up to even). */
    private void requeue(int i) {
        dequeue(i);
        enqueue(i);
        rec[i * stride + expOff]++;
    }

    /** The expiry a touch at {@code now} gives: lazy mode marks it odd (touched since queued). */
    private int touched(int now) {
        int e = now + expireMs;
        return lazy ? e | 1 : e;
    }

    /** Inserts an absent key with zeroed data, most recent; the caller made room. Returns its position. */
    int insert(int[] key, int ko, int h, int now) {
        beginWrite();
        try {
            int p = claim(h);
            System.arraycopy(key, ko, rec, p * stride + 1, keyWords);
            return fill(p, now);
        } finally {
            endWrite();
        }
    }

    /** {@link #insert} for one-word keys. */
    int insert1(int key, int h, int now) {
        beginWrite();
        try {
            int p = claim(h);
            rec[p * stride + 1] = key;
            return fill(p, now);
        } finally {
            endWrite();
        }
    }

    /** Grows when the table would be more than half full, then finds the first free position of the run. */
    private int claim(int h) {
        if ((used + 1L) * 2 > positions && positions < maxPositions) {
            grow((int) Math.min(maxPositions, 2L * positions));
        }
        return free(rec, home(h, positions), positions);
    }

    /** The first free position from {@code p} on. */
    private int free(int[] r, int p, int n) {
        while (r[p * stride] != 0) {
            if (++p == n) {
                p = 0;
            }
        }
        return p;
    }

    private int fill(int p, int now) {
        int e = now + expireMs;
        int at = p * stride + expOff;
        // lazy mode queues entries with an even expiry (rounded up): an odd one marks a touch since
        rec[at] = lazy ? e + (e & 1) : e;
        for (int w = at + 1, end = at + 1 + dataWords; w < end; w++) {
            rec[w] = 0;
        }
        enqueue(p);
        used++;
        if (tableCount != null) {
            tableCount.incrementAndGet();
        }
        return p;
    }

    /** Rehashes every entry into {@code n} positions; the ring keeps its order. Inside a write. */
    private void grow(int n) {
        int[] old = rec;
        int[] oldRefs = refs;
        rec = new int[n * stride];
        refs = oldRefs == null ? null : new int[n];
        positions = n;
        int mask = ring.length - 1;
        for (int t = ringTail; t != ringHead; t++) {
            int s = ring[t & mask];
            if (s != 0) {
                int o = (s - 1) * stride;
                int p = free(rec, home(StickTable.hash(old, o + 1, keyWords), n), n);
                System.arraycopy(old, o, rec, p * stride, stride);
                ring[t & mask] = p + 1;
                if (oldRefs != null) {
                    refs[p] = oldRefs[s - 1];
                }
            }
        }
        if (ring.length < ringLength(n)) {
            compactRing(ringLength(n));
        }
    }

    /** Queues position {@code p} as the newest (its record's first word learns its ring slot). */
    private void enqueue(int p) {
        if (ringHead - ringTail == ring.length) {
            compactRing(ring.length);
        }
        int slot = ringHead & (ring.length - 1);
        ring[slot] = p + 1;
        rec[p * stride] = slot + 1;
        ringHead++;
    }

    /** Leaves a hole where position {@code p} was queued. */
    private void dequeue(int p) {
        ring[rec[p * stride] - 1] = 0;
    }

    /** The oldest queued position (holes skipped on the way), or -1 when the queue is empty. */
    private int oldest() {
        int mask = ring.length - 1;
        while (ringTail != ringHead) {
            int s = ring[ringTail & mask];
            if (s != 0) {
                return s - 1;
            }
            ringTail++;
        }
        return -1;
    }

    /** Rewrites the queue without its holes into a ring of {@code length} slots. */
    private void compactRing(int length) {
        int[] old = ring;
        int mask = old.length - 1;
        int[] fresh = new int[length];
        int n = 0;
        for (int t = ringTail; t != ringHead; t++) {
            int s = old[t & mask];
            if (s != 0) {
                fresh[n] = s;
                rec[(s - 1) * stride] = n + 1;
                n++;
            }
        }
        ring = fresh;
        ringTail = 0;
        ringHead = n;
    }

    /** Refreshes the expiry ({@code now + expire}) and, in exact mode, makes the entry the most recent. */
    void touch(int i, int now) {
        int e = touched(now);
        int at = i * stride + expOff;
        if (lazy || ring[(ringHead - 1) & (ring.length - 1)] == i + 1) {
            if (rec[at] != e) {
                rec[at] = e;
            }
            return;
        }
        beginWrite();
        rec[at] = e;
        dequeue(i);
        enqueue(i);
        endWrite();
    }

    /**
     * {@link #touch} with a given remaining lifetime (an entry learned from a peer or handed over on reload):
     * {@code lifetimeMs} below {@code expire} makes it expire earlier than a fresh touch. It is queued as the
     * newest all the same (a ring has no middle to insert into): lookups see it expire at its own time, and the
     * sweep deletes it once it reaches the oldest end, a little late, never early.
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
            rec[i * stride + expOff] = lazy ? e + (e & 1) : e;
            dequeue(i);
            enqueue(i);
        } finally {
            endWrite();
        }
    }

    /** Sets one data word (under the lock; seen atomically by optimistic readers). */
    void writeData(int i, int off, int value) {
        beginWrite();
        rec[i * stride + dataOff + off] = value;
        endWrite();
    }

    /** Brackets a caller's direct writes to an entry's data ({@link StickEntry}) for optimistic readers. */
    void beginDataWrite() {
        beginWrite();
    }

    void endDataWrite() {
        endWrite();
    }

    /** Deletes the entry at position {@code i}. */
    void remove(int i) {
        beginWrite();
        try {
            removeAt(i);
        } finally {
            endWrite();
        }
    }

    /**
     * Dequeues position {@code hole}, then closes the gap in its probe run (backward shift): each following
     * entry whose home is not between the hole and itself moves into the hole, which moves on to where it was.
     */
    private void removeAt(int hole) {
        dequeue(hole);
        int[] r = rec;
        int n = positions;
        r[hole * stride] = 0;
        for (int q = hole + 1 == n ? 0 : hole + 1; r[q * stride] != 0; q = q + 1 == n ? 0 : q + 1) {
            int home = home(StickTable.hash(r, q * stride + 1, keyWords), n);
            // distances walked from home to q, and from the hole to q (cyclic)
            int fromHome = q - home < 0 ? q - home + n : q - home;
            int fromHole = q - hole < 0 ? q - hole + n : q - hole;
            if (fromHome >= fromHole) {
                System.arraycopy(r, q * stride, r, hole * stride, stride);
                r[q * stride] = 0;
                ring[r[hole * stride] - 1] = hole + 1;
                if (refs != null) {
                    refs[hole] = refs[q];
                    refs[q] = 0;
                }
                hole = q;
            }
        }
        used--;
        if (tableCount != null) {
            tableCount.decrementAndGet();
        }
    }

    /**
     * Deletes up to {@code budget} expired entries from the oldest end; returns how many entries it visited
     * (deleted, or in lazy mode requeued because they were touched since queued), so a caller can bound its pause.
     */
    int sweep(int now, int budget) {
        int t = oldest();
        if (t < 0 || !isExpired(t, now) && !(lazy && touchedSinceQueued(t))) {
            return 0;
        }
        int n = 0;
        beginWrite();
        try {
            for (int held = 0; n < budget && (t = oldest()) >= 0; ) {
                if (isExpired(t, now) && referenced(t)) {
                    // in use: HAProxy's expiry task passes it over; its release will refresh it. Once every entry
                    // could have been passed over, the rest are all held: stop
                    if (held++ == used) {
                        break;
                    }
                    dequeue(t);
                    enqueue(t);
                } else if (isExpired(t, now)) {
                    removeAt(t);
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

    /** Deletes every entry not in use (HAProxy's {@code clear table} kills only unreferenced entries). */
    void clear() {
        if (refs != null) {
            beginWrite();
            try {
                int mask = ring.length - 1;
                for (int t = ringTail; t != ringHead; t++) {
                    int s = ring[t & mask];
                    if (s != 0 && refs[s - 1] == 0) {
                        removeAt(s - 1);
                    }
                }
            } finally {
                endWrite();
            }
            return;
        }
        beginWrite();
        try {
            if (tableCount != null) {
                tableCount.addAndGet(-used);
            }
            for (int p = 0; p < positions; p++) {
                rec[p * stride] = 0;
            }
            Arrays.fill(ring, 0);
            ringTail = 0;
            ringHead = 0;
            used = 0;
        } finally {
            endWrite();
        }
    }

    /** Positions from the most to the least recent (for dumps); the visitor must not modify the segment. */
    void forEach(java.util.function.IntConsumer visitor) {
        int mask = ring.length - 1;
        for (int t = ringHead - 1; t - ringTail >= 0; t--) {
            int s = ring[t & mask];
            if (s != 0) {
                visitor.accept(s - 1);
            }
        }
    }

    /** Bytes held by the arrays (for the benchmark's bytes-per-entry figure). */
    long footprint() {
        return 4L * (rec.length + ring.length);
    }
}
