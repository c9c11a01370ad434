package io.berth.persist.stick;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stripe of a {@link StickTable}: an open-addressing hash table (linear probing, deletion by backward shift,
 * so no tombstones) whose entries are stored inline, and the order in which they are purged and expired
 * ({@link EntryOrder}). No object per entry: {@code rec} holds, per position, the key words, the expiry tick (0
 * marks a free position) and the data words side by side ({@link #stride} ints: 12 bytes for {@code type ip store
 * server_id}). A lookup reads one record, so a hit costs one memory access where a chained index costs a chain of
 * dependent ones. The table is at most half full (three quarters for big tables), so probe runs stay short and
 * a deletion rarely moves more than one entry.
 *
 * <p>Positions are only stable between two mutations: a deletion shifts the following entries of its probe run
 * back (the order follows, {@link EntryOrder#moved}), and growth rehashes everything. Callers ({@link StickTable})
 * use a position right after finding it, under the lock.
 *
 * <p>Two modes. Exact (tables with one segment, i.e. under 16384 entries, where which entry goes is visible):
 * {@link ExpiryOrder}, HAProxy's expiry tree. Lazy (big tables, already split in segments): {@link ClockHand},
 * where a hit only rewrites the entry's expiry, without the lock (the hand reads an entry's age from it).
 *
 * <p>Storage. The lazy segments of a big table are ranges of one array the table allocates whole ({@link #off}:
 * where position 0 starts in it), which never grows: the table's lock-free lookup then finds a record from the
 * hash and the table's own fields, without reading the segment first. Other segments (exact ones, and those of a
 * table too big for that array) own their array and grow it by doubling.
 *
 * <p>Threads: every mutation runs under this segment's monitor (taken by {@link StickTable}) and is bracketed by
 * increments of its version word (a seqlock, in the table's {@code versions} array), so the table's lookup reads
 * the ranges of its array without locking and retries under the lock when a writer was active. The only write made
 * without the lock is that lookup's expiry refresh (see {@link StickTable#lookupServer(int, int)}).
 */
final class StickSegment implements EntryOrder.Entries {
    /** The seqlock words: {@code versions[vi]} is this segment's. */
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    /** Most entries this segment may hold. */
    final int capacity;
    /** Its share of the table's size: the eviction batch derives from it. */
    private final int share;
    private final int keyWords;
    private final int dataWords;
    /** Offsets in a record of the expiry and of the first data word (the key starts at 0). */
    private final int expOff;
    private final int dataOff;
    /** Positions at full size: twice {@link #capacity} (exact), a third more (lazy). */
    private final int maxPositions;
    private final int tableSize;
    int used;
    /** Entries added minus deleted in the current write, for {@link #tableCount}. */
    private int countDelta;
    /** Keeps {@link #warmHome}'s loads alive; never read. */
    @SuppressWarnings("unused")
    private int warmSink;
    /** Positions: {@link #maxPositions} from the start for a lazy segment. */
    private int positions;
    /** Ints per record: key words, expiry (0: the position is free), data words. */
    private final int stride;
    /** Where position 0's record starts in {@link #rec}: 0 for a segment with an array of its own. */
    private final int off;
    /** Hash bits the table used to choose this segment (the top ones): the home position uses the others. */
    private final int hashShift;
    private final int expireMs;
    private final boolean nopurge;
    final boolean lazy;
    /** Records; also the array {@link StickEntry} views (see {@link #dataBase}). */
    int[] rec;
    /** The seqlock word is {@code versions[vi]}: odd while a writer is changing the segment. */
    private final int[] versions;
    private final int vi;

    /** The table's entry count and size when it has several segments (HAProxy's bound is the table's), or null. */
    private final AtomicInteger tableCount;
    /** The purge and expiry order of the entries. */
    private final EntryOrder order;
    /**
     * Per position, how many streams track the entry (HAProxy's {@code ref_cnt}): such an entry is neither purged
     * nor expired. Null until the first reference, so tables nothing tracks pay nothing.
     */
    private int[] refs;

    /**
     * Positions a segment of {@code capacity} entries has at full size: twice its capacity when exact; a third
     * more when lazy, whose records then take 18 MB for 1m entries of 12 bytes instead of 32 MB at half, closer
     * to fitting a server's last-level cache (lookups are memory bound: +10% over two thirds full in
     * StickTableBenchmark), for probe runs still mostly within a cache line (2.5 records per hit, 8.5 per miss on
     * average).
     */
    static int positionsFor(int capacity, int stride, boolean lazy) {
        long most = lazy ? capacity + (capacity + 2) / 3 + 1 : 2L * capacity + 1;
        return (int) Math.min((Integer.MAX_VALUE >> 2) / stride, most);
    }

    /**
     * @param shared null for an exact segment (it allocates and grows its own array); for a lazy one, the table's
     *               array, of which this segment holds {@link #positionsFor} records from int {@code off} on
     * @param versions the table's seqlock words, this segment's at {@code vi}
     */
    StickSegment(int share, int capacity, int keyWords, int dataWords, int expireMs, boolean nopurge,
                 AtomicInteger tableCount, int tableSize, int hashShift, int[] shared, int off, int[] versions,
                 int vi) {
        this.share = share;
        this.capacity = capacity;
        this.keyWords = keyWords;
        this.dataWords = dataWords;
        this.stride = keyWords + dataWords + 1;
        this.expOff = keyWords;
        this.dataOff = keyWords + 1;
        this.expireMs = expireMs;
        this.nopurge = nopurge;
        this.tableCount = tableCount;
        this.tableSize = tableSize;
        this.lazy = tableCount != null;
        this.hashShift = hashShift;
        this.maxPositions = positionsFor(capacity, stride, lazy);
        this.versions = versions;
        this.vi = vi;
        int n;
        if (shared != null) {
            n = maxPositions;
            rec = shared;
            this.off = off;
        } else {
            n = Math.min(maxPositions, 256);
            rec = new int[n * stride];
            this.off = 0;
        }
        positions = n;
        order = lazy ? new ClockHand(n) : new ExpiryOrder(n);
    }

    private void beginWrite() {
        INTS.setOpaque(versions, vi, (int) INTS.getOpaque(versions, vi) + 1);
        VarHandle.storeStoreFence();
    }

    private void endWrite() {
        // the table-wide count learns a write's inserts and deletions at once (one atomic add, not one per entry)
        if (countDelta != 0) {
            if (tableCount != null) {
                tableCount.addAndGet(countDelta);
            }
            countDelta = 0;
        }
        INTS.setRelease(versions, vi, (int) INTS.getOpaque(versions, vi) + 1);
    }

    /**
     * The first position to probe for hash {@code h} among {@code n}: the bits below those that chose the
     * segment, scaled to {@code n} (a multiply, no power-of-two size needed).
     */
    private int home(int h, int n) {
        return (int) (((h << hashShift) & 0xffffffffL) * n >>> 32);
    }

    /** Where position {@code i}'s record starts in {@link #rec}. */
    int keyBase(int i) {
        return off + i * stride;
    }

    int dataBase(int i) {
        return off + i * stride + dataOff;
    }

    public int expiry(int i) {
        return rec[off + i * stride + expOff];
    }

    /** Streams tracking the entry at position {@code i}. */
    int refs(int i) {
        return refs == null ? 0 : refs[i];
    }

    public boolean referenced(int i) {
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
            int base = off + p * stride;
            if (r[base + expOff] == 0) {
                return -1;
            }
            int w = 0;
            while (w < keyWords && r[base + w] == key[ko + w]) {
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
            int base = off + p * stride;
            if (r[base + 1] == 0) {
                return -1;
            }
            if (r[base] == key) {
                return p;
            }
            if (++p == n) {
                p = 0;
            }
        }
    }

    boolean isExpired(int i, int now) {
        return expireMs != 0 && rec[off + i * stride + expOff] - now <= 0;
    }

    /**
     * HAProxy's check before allocating an entry ({@code __stksess_new}): when the segment (or the table) is
     * full, {@code nopurge} refuses (false); otherwise up to {@code (share>>8)+1} entries with the nearest expiry
     * are purged.
     */
    boolean makeRoom(int now) {
        if (used < capacity && (tableCount == null || tableCount.get() < tableSize)) {
            return true;
        }
        if (nopurge) {
            return false;
        }
        beginWrite();
        try {
            return order.purge((share >> 8) + 1, now, this) > 0 && used < capacity;
        } finally {
            endWrite();
        }
    }

    /**
     * Reads, without the lock, the first record a lookup or insert of hash {@code h} will probe, so that its
     * cache miss overlaps with taking the lock. The value read means nothing (a writer may be active).
     */
    void warmHome(int h) {
        int[] r = rec;
        int at = off + home(h, positions) * stride;
        if (at < r.length) {
            warmSink += r[at];
        }
    }

    /** The expiry a touch at {@code now} gives. */
    private int touched(int now) {
        return queued(now + expireMs);
    }

    /**
     * The expiry stored for tick {@code e}: never 0, which marks a free position (as HAProxy's {@code tick_add}
     * never returns 0, so this is its tick too). A table without {@code expire} stores the time of the last
     * touch (never read as an expiry) for {@link ClockHand}'s ages.
     */
    private static int queued(int e) {
        return e == 0 ? 1 : e;
    }

    /** Inserts an absent key with zeroed data, most recent; the caller made room. Returns its position. */
    int insert(int[] key, int ko, int h, int now) {
        beginWrite();
        try {
            int p = claim(h);
            System.arraycopy(key, ko, rec, off + p * stride, keyWords);
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
            rec[off + p * stride] = key;
            return fill(p, now);
        } finally {
            endWrite();
        }
    }

    /**
     * Grows when the segment would be more than half full, then finds the first free position of the run. A range
     * of the table's array is at full size from the start.
     */
    private int claim(int h) {
        if ((used + 1L) * 2 > positions && positions < maxPositions) {
            grow((int) Math.min(maxPositions, 2L * positions));
        }
        return free(rec, home(h, positions), positions);
    }

    /** The first free position from {@code p} on. */
    private int free(int[] r, int p, int n) {
        while (r[off + p * stride + expOff] != 0) {
            if (++p == n) {
                p = 0;
            }
        }
        return p;
    }

    private int fill(int p, int now) {
        int at = off + p * stride + expOff;
        rec[at] = touched(now);
        for (int w = at + 1, end = at + 1 + dataWords; w < end; w++) {
            rec[w] = 0;
        }
        order.add(p, rec[at], this);
        used++;
        countDelta++;
        return p;
    }

    /**
     * Rehashes every entry into {@code n} positions; the order keeps its sequence. Inside a write; only segments
     * with an array of their own grow, so {@link #off} is 0.
     */
    private void grow(int n) {
        int[] keys = new int[used];
        int[] from = order.oldestFirst(keys, this);
        int[] old = rec;
        int[] oldRefs = refs;
        rec = new int[n * stride];
        refs = oldRefs == null ? null : new int[n];
        positions = n;
        order.reset(n);
        for (int k = 0; k < from.length; k++) {
            int o = from[k] * stride;
            int p = free(rec, home(StickHash.hash(old, o, keyWords), n), n);
            System.arraycopy(old, o, rec, p * stride, stride);
            if (oldRefs != null) {
                refs[p] = oldRefs[from[k]];
            }
            order.add(p, keys[k], this);
        }
    }

    /**
     * Refreshes the expiry ({@code now + expire}); the entry keeps its place in the order, which sees the change
     * when its walks meet it (as HAProxy's expiry tree does).
     */
    void touch(int i, int now) {
        int at = off + i * stride + expOff;
        int e = touched(now);
        if (rec[at] != e) {
            rec[at] = e;
        }
        order.touched(i, this);
    }

    /**
     * {@link #touch} with a given remaining lifetime (an entry learned from a peer or handed over on reload,
     * HAProxy's {@code stktable_touch_remote}): {@code lifetimeMs} below {@code expire} makes it expire earlier
     * than a fresh touch.
     */
    void touchFor(int i, int now, long lifetimeMs) {
        if (expireMs == 0 || lifetimeMs < 0 || lifetimeMs >= expireMs) {
            touch(i, now);
            return;
        }
        int e = now + (int) lifetimeMs;
        rec[off + i * stride + expOff] = queued(e);
        order.touched(i, this);
    }

    /** Sets one data word (under the lock; seen atomically by optimistic readers). */
    void writeData(int i, int word, int value) {
        beginWrite();
        rec[dataBase(i) + word] = value;
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
        order.remove(hole, this);
        int[] r = rec;
        int n = positions;
        int o = off;
        r[o + hole * stride + expOff] = 0;
        for (int q = hole + 1 == n ? 0 : hole + 1; r[o + q * stride + expOff] != 0; q = q + 1 == n ? 0 : q + 1) {
            int home = home(StickHash.hash(r, o + q * stride, keyWords), n);
            // distances walked from home to q, and from the hole to q (cyclic)
            int fromHome = q - home < 0 ? q - home + n : q - home;
            int fromHole = q - hole < 0 ? q - hole + n : q - hole;
            if (fromHome >= fromHole) {
                System.arraycopy(r, o + q * stride, r, o + hole * stride, stride);
                r[o + q * stride + expOff] = 0;
                order.moved(q, hole, this);
                if (refs != null) {
                    refs[hole] = refs[q];
                    refs[q] = 0;
                }
                hole = q;
            }
        }
        used--;
        countDelta--;
    }

    /**
     * Deletes up to {@code budget} expired entries; returns how many entries it visited (deleted, requeued or
     * passed over), so a caller can bound its pause.
     */
    int sweep(int now, int budget) {
        if (expireMs == 0 || used == 0 || !order.sweepDue(now, this)) {
            return 0;
        }
        beginWrite();
        try {
            return order.sweep(now, budget, this);
        } finally {
            endWrite();
        }
    }

    /** Deletes every entry not in use (HAProxy's {@code clear table} kills only unreferenced entries). */
    void clear() {
        beginWrite();
        try {
            if (refs != null) {
                // deletions shift positions: find each unheld entry again by its key
                java.util.List<int[]> gone = new java.util.ArrayList<>();
                order.forEachNewestFirst(p -> {
                    if (refs[p] == 0) {
                        gone.add(Arrays.copyOfRange(rec, keyBase(p), keyBase(p) + keyWords));
                    }
                }, this);
                for (int[] k : gone) {
                    removeAt(find(k, 0, StickHash.hash(k, 0, keyWords)));
                }
                return;
            }
            countDelta -= used;
            for (int p = 0; p < positions; p++) {
                rec[off + p * stride + expOff] = 0;
            }
            order.reset(positions);
            used = 0;
        } finally {
            endWrite();
        }
    }

    /** Positions from the most to the least recent (for dumps); the visitor must not modify the segment. */
    void forEach(java.util.function.IntConsumer visitor) {
        order.forEachNewestFirst(visitor, this);
    }

    /** Bytes held by the segment's share of the records and its other arrays (the bytes-per-entry figure). */
    long footprint() {
        return 4L * positions * stride + (refs == null ? 0 : 4L * refs.length) + order.footprint();
    }

    // EntryOrder.Entries: what the order reads and does in the records

    @Override
    public int lastTouch(int p) {
        return rec[off + p * stride + expOff] - expireMs;
    }

    @Override
    public boolean expired(int p, int now) {
        return isExpired(p, now);
    }

    @Override
    public void delete(int p) {
        removeAt(p);
    }

    @Override
    public int used() {
        return used;
    }
}
