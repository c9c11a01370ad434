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
 * <p>Threads: every mutation runs under this segment's monitor (taken by {@link StickTable}) and is bracketed by
 * {@link #version} increments (a seqlock), so {@link #lookup1Optimistic} reads without locking and retries under
 * the lock when a writer was active. The only write made without the lock is a lazy-mode hit's expiry refresh:
 * a compare-and-set at the position just validated, from the expiry read there; if a writer freed the position or
 * moved another entry in meanwhile it fails (the touch is lost), unless the newcomer holds the same expiry, which
 * then lives a little longer.
 */
final class StickSegment implements EntryOrder.Entries {
    /** {@link #lookup1Optimistic}: a writer was active, run the operation under the lock. */
    static final int RETRY = -2;
    private static final VarHandle VERSION;
    /** The lock-free touch's compare-and-set of a record's expiry. */
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(StickSegment.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Field order is layout: HotSpot places int fields in declaration order, then booleans, then references. The
    // fields the lock-free lookup reads come last among the ints and {@link #rec} first among the references, so
    // they share one or two cache lines, next to nothing a writer changes often (measured: spreading them over two
    // more lines cost about a fifth of the lookup rate, as 64 segments' lines then compete with the records').

    /** Most entries this segment may hold. */
    final int capacity;
    /** Its share of the table's size: the eviction batch derives from it. */
    private final int share;
    private final int keyWords;
    private final int dataWords;
    /** Offsets in a record of the expiry and of the first data word (the key starts at 0). */
    private final int expOff;
    private final int dataOff;
    /** Positions at full size: twice {@link #capacity}. */
    private final int maxPositions;
    private final int tableSize;
    int used;
    /** Entries added minus deleted in the current write, for {@link #tableCount}. */
    private int countDelta;
    /** Keeps {@link #warmHome}'s loads alive; never read. */
    @SuppressWarnings("unused")
    private int warmSink;

    // read by the lock-free lookup

    /** Seqlock word: odd while a writer is changing the segment. Accessed through {@link #VERSION}. */
    @SuppressWarnings("unused")
    private int version;
    /** Positions in {@link #rec}: its length over the stride. */
    private int positions;
    /** Ints per record: key words, expiry (0: the position is free), data words. */
    private final int stride;
    /** Hash bits the table used to choose this segment (the top ones): the home position uses the others. */
    private final int hashShift;
    /** 1 for an exact segment, 0 for a lazy one: {@link #lookup1Optimistic} then always retries under the lock. */
    private final int exact;
    /**
     * {@link #lookup1Optimistic}'s expiry test {@code expiry - now <= expiredFrom}: 0 when entries expire, the
     * lowest int when they never do (the word then holds the last touch, always in the past), so one comparison
     * serves both; the single value it then misreads (a difference of exactly the lowest int) only retries.
     */
    private final int expiredFrom;
    private final int expireMs;
    private final boolean nopurge;
    final boolean lazy;
    /** Records; also the array {@link StickEntry} views (see {@link #dataBase}). */
    int[] rec;

    /** The table's entry count and size when it has several segments (HAProxy's bound is the table's), or null. */
    private final AtomicInteger tableCount;
    /** The purge and expiry order of the entries. */
    private final EntryOrder order;
    /**
     * Per position, how many streams track the entry (HAProxy's {@code ref_cnt}): such an entry is neither purged
     * nor expired. Null until the first reference, so tables nothing tracks pay nothing.
     */
    private int[] refs;

    StickSegment(int share, int capacity, int keyWords, int dataWords, int expireMs, boolean nopurge,
                 AtomicInteger tableCount, int tableSize, int hashShift) {
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
        this.exact = lazy ? 0 : 1;
        this.expiredFrom = expireMs != 0 ? 0 : Integer.MIN_VALUE;
        this.hashShift = hashShift;
        // big tables may fill three quarters of their positions: their records then take 18 MB for 1m entries of
        // 12 bytes instead of 32 MB at half, closer to fitting a server's last-level cache (lookups are memory
        // bound: +10% over two thirds full in StickTableBenchmark), for probe runs still mostly within a cache line
        // (2.5 records per hit, 8.5 per miss on average)
        long most = lazy ? capacity + (capacity + 2) / 3 + 1 : 2L * capacity + 1;
        this.maxPositions = (int) Math.min((Integer.MAX_VALUE >> 2) / stride, most);
        int n = Math.min(maxPositions, 256);
        rec = new int[n * stride];
        positions = n;
        order = lazy ? new ClockHand(n) : new ExpiryOrder(n);
    }

    private void beginWrite() {
        VERSION.setOpaque(this, (int) VERSION.getOpaque(this) + 1);
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
        return i * stride;
    }

    int dataBase(int i) {
        return i * stride + dataOff;
    }

    public int expiry(int i) {
        return rec[i * stride + expOff];
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
            int base = p * stride;
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
            int base = p * stride;
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

    /**
     * A lazy-mode {@code stick match} of a one-word key without the lock: the stored
     * {@code server_key << 32 | server_id} of a live entry (its expiry refreshed), {@link StickTable#ABSENT}, or
     * {@link #RETRY} when a writer was active, the probe run was too long, or the entry has expired (its deletion
     * needs the lock). {@code idAt} and {@code keyAt} are the offsets in a record of the two data words, and their
     * masks 0 for data the table does not store (any offset in the record then): no branch on either.
     *
     * <p>Written for few instructions: a hit costs one cache miss (the record), and the fewer instructions a
     * lookup takes, the more of the next lookups' misses the processor overlaps with it.
     */
    long lookup1Optimistic(int key, int h, int now, int idAt, long idMask, int keyAt, long keyMask) {
        int v = (int) VERSION.getAcquire(this);
        // a writer may replace the array meanwhile: stay within the snapshot read here (the version says the rest)
        int[] r = rec;
        int st = stride;
        int n = positions;
        int end = n * st;
        int base = home(h, n) * st;
        // exact segments are always "being written" for this path: their hits take the lock (one test for both)
        if (((v | exact) & 1) != 0 || end > r.length) {
            return RETRY;
        }
        // one-word keys: the expiry is the record's second word
        int ex;
        for (boolean wrapped = false; ; ) {
            ex = r[base + 1];
            if (ex == 0 || r[base] == key) {
                break;
            }
            base += st;
            if (base == end) {
                // a torn read could see a run without end; a quarter of the positions are free, so a second
                // wrap means the reader met writes (no counter per probe: fewer instructions per lookup)
                if (wrapped) {
                    return RETRY;
                }
                wrapped = true;
                base = 0;
            }
        }
        long out = (r[base + keyAt] & keyMask) << 32 | (r[base + idAt] & idMask);
        VarHandle.loadLoadFence();
        if ((int) VERSION.getOpaque(this) != v) {
            return RETRY;
        }
        if (ex == 0) {
            return StickTable.ABSENT;
        }
        // expired (its deletion needs the lock); never for a table without expire (see expiredFrom)
        if (ex - now <= expiredFrom) {
            return RETRY;
        }
        int fresh = now + expireMs;
        // a compare-and-set: a plain store could land on a position a writer freed meanwhile (expiry 0) and bring
        // a deleted entry back; this one fails then, and the touch is lost, harmlessly (as is one whose tick
        // would be 0, which marks free positions)
        if (ex != fresh && fresh != 0) {
            INTS.compareAndSet(r, base + 1, ex, fresh);
        }
        return out;
    }

    boolean isExpired(int i, int now) {
        return expireMs != 0 && rec[i * stride + expOff] - now <= 0;
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
        int at = home(h, positions) * stride;
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
            System.arraycopy(key, ko, rec, p * stride, keyWords);
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
            rec[p * stride] = key;
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
        while (r[p * stride + expOff] != 0) {
            if (++p == n) {
                p = 0;
            }
        }
        return p;
    }

    private int fill(int p, int now) {
        int at = p * stride + expOff;
        rec[at] = queued(now + expireMs);
        for (int w = at + 1, end = at + 1 + dataWords; w < end; w++) {
            rec[w] = 0;
        }
        order.add(p, rec[at], this);
        used++;
        countDelta++;
        return p;
    }

    /** Rehashes every entry into {@code n} positions; the order keeps its sequence. Inside a write. */
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
            int p = free(rec, home(StickTable.hash(old, o, keyWords), n), n);
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
        int at = i * stride + expOff;
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
        rec[i * stride + expOff] = queued(e);
        order.touched(i, this);
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
        order.remove(hole, this);
        int[] r = rec;
        int n = positions;
        r[hole * stride + expOff] = 0;
        for (int q = hole + 1 == n ? 0 : hole + 1; r[q * stride + expOff] != 0; q = q + 1 == n ? 0 : q + 1) {
            int home = home(StickTable.hash(r, q * stride, keyWords), n);
            // distances walked from home to q, and from the hole to q (cyclic)
            int fromHome = q - home < 0 ? q - home + n : q - home;
            int fromHole = q - hole < 0 ? q - hole + n : q - hole;
            if (fromHome >= fromHole) {
                System.arraycopy(r, q * stride, r, hole * stride, stride);
                r[q * stride + expOff] = 0;
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
                        gone.add(Arrays.copyOfRange(rec, p * stride, p * stride + keyWords));
                    }
                }, this);
                for (int[] k : gone) {
                    removeAt(find(k, 0, StickTable.hash(k, 0, keyWords)));
                }
                return;
            }
            countDelta -= used;
            for (int p = 0; p < positions; p++) {
                rec[p * stride + expOff] = 0;
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

    /** Bytes held by the arrays (for the benchmark's bytes-per-entry figure). */
    long footprint() {
        return 4L * rec.length + order.footprint();
    }

    // EntryOrder.Entries: what the order reads and does in the records

    @Override
    public int lastTouch(int p) {
        return rec[p * stride + expOff] - expireMs;
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
