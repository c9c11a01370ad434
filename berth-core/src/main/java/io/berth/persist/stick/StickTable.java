package io.berth.persist.stick;

import io.berth.model.StickTableSpec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One live stick table: bounded by {@code size}, O(1) lookup and insert, purge and expiry without a timer per
 * entry (in HAProxy's order for tables under 16384 entries), keys and data inline in primitive arrays. Created by {@link StickTables} from the
 * configuration and shared by all event loops.
 *
 * <p>Threads: the table is split into 2^n segments chosen by the key's hash, each guarded by its own monitor, so
 * event loops contend only when they touch the same stripe. Tables under 16384 entries have one segment and so
 * behave exactly like HAProxy's single expiry tree ({@link ExpiryOrder}: second chances, {@code (size>>8)+1}
 * purged at a time, at most twice that many visited); bigger tables count their entries table-wide (so
 * {@code size} entries fit, as in HAProxy), let a segment hold a little more than its share, purge within the
 * segment by age ({@link ClockHand}: about the oldest eighth, not the strictly oldest), and answer
 * {@code stick match} hits without any lock ({@link #lookupServer(int, int)}). Entries a stream tracks
 * ({@link #track}) are never purged nor expired.
 *
 * <p>Memory. A big table allocates its records whole when created (its segments are ranges of one array: 17.8 MB
 * for {@code type ip size 1m store server_id}), as nginx does its zones, where HAProxy allocates entries as they
 * come: the memory a full table needs is taken at start, never at a peak, and lookups find a record without
 * reading a segment first. Tables whose records would pass {@link #FLAT_LIMIT_WORDS}, or that the heap cannot
 * hold at once, grow segment by segment instead, and their lookups take the segment's lock.
 *
 * <p>Keys are passed encoded by {@link StickKeys}: {@link #keyWords()} ints (one for ip and integer tables, which
 * also have allocation-free {@code int} overloads). Times are HAProxy-style wrapping millisecond ticks
 * ({@link StickClock#now()}).
 */
public final class StickTable {
    /** {@link #lookupServer} when the key is absent. */
    public static final long ABSENT = -1;
    /** Expired entries a locked operation deletes on the way (a small slice, so no operation pauses long). */
    private static final int SWEEP_SLICE = 8;
    /** Ints of records a big table allocates whole at most (512 MiB: 7.5M entries of {@code type ip}). */
    static final long FLAT_LIMIT_WORDS = 1L << 27;
    /** A segment's seqlock word is {@code versions[segment << VERSION_SHIFT]}: one per 64-byte line. */
    private static final int VERSION_SHIFT = 4;
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final StickTableSpec spec;
    private final StickDataLayout layout;
    private final StickSegment[] segments;
    /** 32 less the bits of the hash that choose the segment (the top ones). */
    private final int segmentShift;
    /** Those bits: a segment's home positions come from the hash shifted left by them. */
    private final int segmentBits;
    /**
     * The records of every segment of a big table, segment after segment ({@link #segmentPositions} each), when
     * the lock-free lookup may read them: null for one segment, a table without the flat array (see the class
     * comment), keys of several words or no {@code server_id} (all lookups then take the lock).
     */
    private final int[] flat;
    private final int segmentPositions;
    /** Ints per segment in {@link #flat}. */
    private final int segmentWords;
    /** Ints per record: key words, expiry (0: the position is free), data words. */
    private final int stride;
    /** The segments' seqlock words (see {@link StickSegment}), one per cache line. */
    private final int[] versions;
    private final int expireMs;
    /**
     * The lookup's expiry test {@code expiry - now <= expiredFrom}: 0 when entries expire, the lowest int when
     * they never do (the word then holds the last touch, always in the past), so one comparison serves both; the
     * single value it then misreads (a difference of exactly the lowest int) only takes the lock.
     */
    private final int expiredFrom;
    private final int keyWords;
    private final int serverIdOffset;
    private final int serverKeyOffset;
    /**
     * For the lock-free lookup of one-word keys: where {@code server_id} and {@code server_key} sit in a record
     * ({@code [key, expiry, data...]}); 0 when the table does not store them.
     */
    private final int serverIdAt1;
    private final int serverKeyAt1;
    /** Where the next {@link #expireSlice} starts, so slices share the work among segments (racy: a hint). */
    private int expiryCursor;
    /** Null unless a {@code peers} section syncs the table: the hot path pays one volatile read for it. */
    private volatile StickChangeListener listener;
    /**
     * The lock-free lookup reads {@link #listener} in opaque mode: a plain load that orders nothing, so the
     * compiler keeps the next lookups' loads free to start early, where a volatile read would hold them back
     * (measured: about a tenth of the lookup rate). A listener installed meanwhile is seen a moment later.
     */
    private static final VarHandle LISTENER;

    static {
        try {
            LISTENER = MethodHandles.lookup().findVarHandle(StickTable.class, "listener", StickChangeListener.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param extra data types added because rules use the table ({@code server_id}, {@code server_key})
     */
    public StickTable(StickTableSpec spec, Set<StickDataType> extra) {
        this(spec, extra, FLAT_LIMIT_WORDS);
    }

    /** @param flatLimitWords {@link #FLAT_LIMIT_WORDS}, or less to test the other layout of big tables */
    StickTable(StickTableSpec spec, Set<StickDataType> extra, long flatLimitWords) {
        this.spec = spec;
        this.layout = new StickDataLayout(spec, extra);
        this.keyWords = (spec.keySize() + 3) / 4;
        long size = spec.size();
        int bits = 0;
        while (bits < 6 && (size >> (bits + 1)) >= 8192) {
            bits++;
        }
        this.segmentShift = 32 - bits;
        this.segmentBits = bits;
        int n = 1 << bits;
        int dataWords = Math.max(layout.words(), 0);
        this.stride = keyWords + dataWords + 1;
        this.expireMs = (int) spec.expireMs();
        this.expiredFrom = expireMs != 0 ? 0 : Integer.MIN_VALUE;
        this.versions = new int[n << VERSION_SHIFT];
        segments = new StickSegment[n];
        // one segment: its own count is the table's; several: a shared count bounds the table at size, and a
        // segment may exceed its share by 1/16 since the hash never splits keys exactly evenly (all take the
        // biggest share's capacity, so that they are ranges of one size in the flat array)
        AtomicInteger count = n == 1 ? null : new AtomicInteger();
        int biggestShare = (int) Math.min(size / n + (size % n == 0 ? 0 : 1), Integer.MAX_VALUE / 2);
        int lazyCapacity = biggestShare + (biggestShare >> 4) + 16;
        int positions = StickSegment.positionsFor(lazyCapacity, stride, true);
        long flatWords = (long) n * positions * stride;
        int[] records = null;
        if (n > 1 && flatWords <= flatLimitWords) {
            try {
                records = new int[(int) flatWords];
            } catch (OutOfMemoryError e) {
                // a heap too small for the full table at once (nothing else failed: one allocation): its
                // segments grow as entries come instead, as those of a table past the limit do
                records = null;
            }
        }
        this.segmentPositions = records == null ? 0 : positions;
        this.segmentWords = segmentPositions * stride;
        for (int i = 0; i < n; i++) {
            int share = (int) Math.min(size / n + (i < size % n ? 1 : 0), Integer.MAX_VALUE / 2);
            int capacity = n == 1 ? share : lazyCapacity;
            segments[i] = new StickSegment(share, capacity, keyWords, dataWords, expireMs, spec.nopurge(), count,
                    (int) Math.min(size, Integer.MAX_VALUE), bits, records, i * segmentWords, versions,
                    i << VERSION_SHIFT);
        }
        this.serverIdOffset = layout.offset(StickDataType.SERVER_ID);
        this.serverKeyOffset = layout.offset(StickDataType.SERVER_KEY);
        this.serverIdAt1 = serverIdOffset < 0 ? 0 : 2 + serverIdOffset;
        this.serverKeyAt1 = serverKeyOffset < 0 ? 0 : 2 + serverKeyOffset;
        this.flat = serverIdOffset < 0 || keyWords != 1 ? null : records;
    }

    public StickTableSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public StickDataLayout layout() {
        return layout;
    }

    /**
     * Installs (or with null removes) the listener told of every local change; see {@link StickChangeListener}.
     * One listener per table: the peers section owning the table, replaced when peers restart on a reload.
     */
    public void listen(StickChangeListener l) {
        this.listener = l;
    }

    public StickChangeListener listener() {
        return listener;
    }

    private void changed(int[] key) {
        StickChangeListener l = listener;
        if (l != null) {
            l.changed(this, key.clone());
        }
    }

    private void changed1(int key) {
        StickChangeListener l = listener;
        if (l != null) {
            l.changed(this, new int[] {key});
        }
    }

    /** Words in an encoded key. */
    public int keyWords() {
        return keyWords;
    }

    /** Entries in the table (a sum over segments read without locks: exact when the table is quiet). */
    public int used() {
        int n = 0;
        for (StickSegment s : segments) {
            n += s.used;
        }
        return n;
    }

    /** The segment of hash {@code h}, chosen by its top bits (shifting a long by 32 gives 0: one segment). */
    private StickSegment segment(int h) {
        return segments[(int) ((h & 0xffffffffL) >>> segmentShift)];
    }

    /**
     * Finds a live entry: an expired one is deleted and reported absent, as HAProxy's expiry task would have,
     * unless a stream tracks it (the task passes such entries over).
     */
    private static int live(StickSegment s, int i, int now) {
        if (i >= 0 && s.isExpired(i, now) && !s.referenced(i)) {
            s.remove(i);
            return -1;
        }
        return i;
    }

    /**
     * The {@code stick match} lookup: on a hit, refreshes the entry's expiry and recency (HAProxy's
     * {@code stktable_touch_local}) and returns {@code server_key id << 32 | server_id} (both unsigned; 0 when
     * not stored); {@link #ABSENT} when the key is not in the table.
     */
    public long lookupServer(int[] key, int now) {
        int h = StickHash.hash(key, 0, keyWords);
        StickSegment s = segment(h);
        long r;
        synchronized (s) {
            s.sweep(now, SWEEP_SLICE);
            int i = live(s, s.find(key, 0, h), now);
            r = i < 0 ? ABSENT : touchAndRead(s, i, now);
        }
        if (r != ABSENT) {
            changed(key);
        }
        return r;
    }

    /**
     * {@link #lookupServer(int[], int)} for ip and integer tables: without any lock in a big table (in
     * {@link #flat}) when the entry is live and no writer was active in its segment meanwhile (its seqlock word
     * did not move); otherwise under the segment's lock.
     *
     * <p>Written for few instructions and few dependent loads: a hit costs one cache miss (the record), whose
     * address comes from the hash and this table's fields alone, and the fewer instructions a lookup takes, the
     * more of the next lookups' misses the processor overlaps with it. Measured against the same algorithm
     * reading the segment object first (each segment its own array): 1.09 times the lookups per second, the
     * median ratio of 24 alternating runs of {@code StickTableBenchmark.lookupExisting}.
     *
     * <p>The only write made without the lock is the expiry refresh of a hit: a compare-and-set at the position
     * just validated, from the expiry read there. A plain store could land on a position a writer freed meanwhile
     * (expiry 0) and bring a deleted entry back; the compare-and-set fails then, and the touch is lost, harmlessly
     * (as is one whose tick would be 0, which marks free positions), unless the newcomer holds the same expiry,
     * which then lives a little longer.
     */
    public long lookupServer(int key, int now) {
        int h = StickHash.hash1(key);
        int[] r = flat;
        if (r == null) {
            return lookupLocked(segment(h), key, h, now);
        }
        int si = h >>> segmentShift;
        int[] vs = versions;
        int vAt = si << VERSION_SHIFT;
        int v = (int) INTS.getAcquire(vs, vAt);
        int st = stride;
        int lo = si * segmentWords;
        int end = lo + segmentWords;
        int base = lo + (int) (((h << segmentBits) & 0xffffffffL) * segmentPositions >>> 32) * st;
        if ((v & 1) != 0) {
            return lookupLocked(segments[si], key, h, now);
        }
        // one-word keys: the expiry is the record's second word
        int ex;
        while (true) {
            ex = r[base + 1];
            if (ex == 0 || r[base] == key) {
                break;
            }
            base += st;
            // a run that wraps to the segment's start (rare: it has to begin within a few positions of the end),
            // and one without end that a torn read could see, are followed under the lock: no wrap logic here
            if (base == end) {
                return lookupLocked(segments[si], key, h, now);
            }
        }
        long out = r[base + serverIdAt1] & 0xffffffffL;
        if (serverKeyAt1 != 0) {
            out |= (r[base + serverKeyAt1] & 0xffffffffL) << 32;
        }
        VarHandle.loadLoadFence();
        if ((int) INTS.getOpaque(vs, vAt) != v) {
            return lookupLocked(segments[si], key, h, now);
        }
        if (ex == 0) {
            return ABSENT;
        }
        // expired (its deletion needs the lock); never for a table without expire (see expiredFrom)
        if (ex - now <= expiredFrom) {
            return lookupLocked(segments[si], key, h, now);
        }
        int fresh = now + expireMs;
        if (ex != fresh && fresh != 0) {
            INTS.compareAndSet(r, base + 1, ex, fresh);
        }
        if (LISTENER.getOpaque(this) != null) {
            changed1(key);
        }
        return out;
    }

    /**
     * {@link #lookupServer(int, int)} under the segment's lock: small tables, expired entries, a writer met. A
     * method of its own, so that the lock-free path compiles without the monitor's code around it.
     */
    private long lookupLocked(StickSegment s, int key, int h, int now) {
        long r;
        synchronized (s) {
            s.sweep(now, SWEEP_SLICE);
            int i = live(s, s.find1(key, h), now);
            r = i < 0 ? ABSENT : touchAndRead(s, i, now);
        }
        if (r != ABSENT) {
            changed1(key);
        }
        return r;
    }

    private long touchAndRead(StickSegment s, int i, int now) {
        s.touch(i, now);
        int base = s.dataBase(i);
        long id = serverIdOffset < 0 ? 0 : s.rec[base + serverIdOffset] & 0xffffffffL;
        long key = serverKeyOffset < 0 ? 0 : s.rec[base + serverKeyOffset] & 0xffffffffL;
        return key << 32 | id;
    }

    /**
     * What HAProxy's {@code stksess_new()} does when a store rule fires at request time: if the key's segment is
     * full, purge the oldest entries (even when the key itself exists, as HAProxy allocates before it looks), or
     * refuse with {@code nopurge}. Returns false when the store must be skipped.
     */
    public boolean reserve(int[] key, int now) {
        StickSegment s = segment(StickHash.hash(key, 0, keyWords));
        synchronized (s) {
            s.sweep(now, SWEEP_SLICE);
            return s.makeRoom(now);
        }
    }

    /**
     * Commits a store: insert-or-update the entry with {@code server_id} and {@code server_key} (when stored)
     * and refresh its expiry. Returns false when the key is new and the table is full with {@code nopurge}.
     */
    public boolean storeServer(int[] key, int now, int serverId, int serverKeyId) {
        return storeServer(key, now, now, serverId, serverKeyId);
    }

    /**
     * {@link #storeServer(int[], int, int, int)} for a store reserved at request time {@code reservedAt}: as in
     * HAProxy, a new entry is queued with the expiry it got then and touched now, so if the response came in a
     * later millisecond, the purge sees it touched since queued.
     */
    public boolean storeServer(int[] key, int reservedAt, int now, int serverId, int serverKeyId) {
        int h = StickHash.hash(key, 0, keyWords);
        StickSegment s = segment(h);
        synchronized (s) {
            s.sweep(now, SWEEP_SLICE);
            int i = live(s, s.find(key, 0, h), now);
            if (i < 0) {
                if (!s.makeRoom(now)) {
                    return false;
                }
                i = s.insert(key, 0, h, reservedAt);
                // a response in the same millisecond leaves the entry as queued (not "touched since")
                if (reservedAt != now) {
                    s.touch(i, now);
                }
            } else {
                s.touch(i, now);
            }
            if (serverIdOffset >= 0) {
                s.writeData(i, serverIdOffset, serverId);
            }
            if (serverKeyOffset >= 0) {
                s.writeData(i, serverKeyOffset, serverKeyId);
            }
        }
        changed(key);
        return true;
    }

    /** {@link #storeServer(int[], int, int, int)} for ip and integer tables. */
    public boolean storeServer(int key, int now, int serverId, int serverKeyId) {
        int h = StickHash.hash1(key);
        StickSegment s = segment(h);
        s.warmHome(h);
        synchronized (s) {
            s.sweep(now, SWEEP_SLICE);
            int i = live(s, s.find1(key, h), now);
            if (i < 0) {
                if (!s.makeRoom(now)) {
                    return false;
                }
                i = s.insert1(key, h, now);
            } else {
                s.touch(i, now);
            }
            if (serverIdOffset >= 0) {
                s.writeData(i, serverIdOffset, serverId);
            }
            if (serverKeyOffset >= 0) {
                s.writeData(i, serverKeyOffset, serverKeyId);
            }
        }
        changed1(key);
        return true;
    }

    /**
     * Runs {@code action} on the entry of {@code key} under its segment's lock (tracked counters, {@code set
     * table}); creates the entry when absent and {@code create} is set (subject to eviction / {@code nopurge}),
     * refreshing its expiry when {@code touch}. Returns false when there is no entry to act on. The
     * {@link StickChangeListener} is told when the entry was created or touched (a plain read, {@code touch} false
     * on an existing entry, is not a change).
     */
    public boolean update(int[] key, int now, boolean create, boolean touch, Consumer<StickEntry> action) {
        return update(key, now, create, touch, 0, action);
    }

    /**
     * {@code track-sc*}: {@link #update} creating the entry, then holds it (HAProxy's {@code ref_cnt}): until
     * {@link #untrack}, the entry is neither purged to make room nor expired, and {@code show table} prints it
     * with {@code use=} the number of holders. Returns false when the table refused the key.
     */
    public boolean track(int[] key, int now, Consumer<StickEntry> action) {
        return update(key, now, true, true, 1, action);
    }

    /** The end of a tracking stream: {@link #update} touching the entry, then gives back its hold. */
    public boolean untrack(int[] key, int now, Consumer<StickEntry> action) {
        return update(key, now, false, true, -1, action);
    }

    private boolean update(int[] key, int now, boolean create, boolean touch, int refDelta,
                           Consumer<StickEntry> action) {
        int h = StickHash.hash(key, 0, keyWords);
        StickSegment s = segment(h);
        synchronized (s) {
            s.sweep(now, SWEEP_SLICE);
            int i = live(s, s.find(key, 0, h), now);
            if (i < 0) {
                if (!create || !s.makeRoom(now)) {
                    return false;
                }
                i = s.insert(key, 0, h, now);
            } else if (touch) {
                s.touch(i, now);
            }
            s.beginDataWrite();
            try {
                action.accept(new StickEntry(layout, s.rec, s.dataBase(i), now, s.refs(i)));
            } finally {
                s.endDataWrite();
            }
            if (refDelta != 0) {
                s.addRef(i, refDelta);
            }
        }
        if (create || touch) {
            changed(key);
        }
        return true;
    }

    /**
     * The silent update: writes an entry learned from a peer or handed over by the previous process (HAProxy's
     * {@code stktable_touch_remote}), creating it when absent (subject to eviction / {@code nopurge}) and giving
     * it {@code lifetimeMs} to live (-1, or more than {@code expire}: the table's {@code expire}) so that an
     * entry keeps its age across peers and reloads. The {@link StickChangeListener} is not told: HAProxy never
     * re-propagates what it learned. Returns false when the table refused the key.
     */
    public boolean learn(int[] key, int now, long lifetimeMs, Consumer<StickEntry> action) {
        int h = StickHash.hash(key, 0, keyWords);
        StickSegment s = segment(h);
        synchronized (s) {
            s.sweep(now, SWEEP_SLICE);
            int i = live(s, s.find(key, 0, h), now);
            if (i < 0) {
                if (!s.makeRoom(now)) {
                    return false;
                }
                i = s.insert(key, 0, h, now);
            }
            s.touchFor(i, now, lifetimeMs);
            s.beginDataWrite();
            try {
                action.accept(new StickEntry(layout, s.rec, s.dataBase(i), now, s.refs(i)));
            } finally {
                s.endDataWrite();
            }
            return true;
        }
    }

    /** Deletes the entry of {@code key} unless a stream tracks it, as HAProxy does; true when one went. */
    public boolean remove(int[] key) {
        int h = StickHash.hash(key, 0, keyWords);
        StickSegment s = segment(h);
        synchronized (s) {
            int i = s.find(key, 0, h);
            if (i >= 0 && !s.referenced(i)) {
                s.remove(i);
                return true;
            }
            return false;
        }
    }

    /** Deletes every entry no stream tracks ({@code clear table}). */
    public void clear() {
        for (StickSegment s : segments) {
            synchronized (s) {
                s.clear();
            }
        }
    }

    /**
     * The background half of expiry: deletes up to {@code budget} expired entries per segment, one segment lock
     * at a time, and returns how many went. Meant to be called every few hundred ms from any thread; with a
     * budget of a few thousand a call holds a lock for well under a millisecond.
     */
    public int expire(int now, int budget) {
        int n = 0;
        for (StickSegment s : segments) {
            synchronized (s) {
                n += s.sweep(now, budget);
            }
        }
        return n;
    }

    /**
     * One slice of the expiry task: at most {@code budget} entries visited in all (expired ones deleted), segment
     * after segment from where the previous slice stopped; true when the budget ran out (more may be waiting, run
     * another slice soon).
     */
    public boolean expireSlice(int now, int budget) {
        // the budget is for the whole call (the pause it causes), spread over the segments from a rotating start
        int left = budget;
        int n = segments.length;
        int start = expiryCursor;
        for (int k = 0; k < n && left > 0; k++) {
            StickSegment s = segments[(start + k) & (n - 1)];
            synchronized (s) {
                left -= s.sweep(now, left);
            }
        }
        expiryCursor = start + 1;
        return left <= 0;
    }

    /** One entry as seen by {@link #forEach}: a copy of its key, its data view and ms left before it expires. */
    public interface Visitor {
        void visit(int[] key, StickEntry entry, int expiresInMs);
    }

    /**
     * Visits every live entry (and every expired one a stream still holds, as HAProxy keeps those), segment by
     * segment (most recent first within a segment), under each lock.
     */
    public void forEach(int now, Visitor visitor) {
        for (StickSegment s : segments) {
            synchronized (s) {
                s.forEach(i -> {
                    if (!s.isExpired(i, now) || s.referenced(i)) {
                        int[] k = new int[keyWords];
                        System.arraycopy(s.rec, s.keyBase(i), k, 0, keyWords);
                        visitor.visit(k, new StickEntry(layout, s.rec, s.dataBase(i), now, s.refs(i)),
                                spec.expireMs() == 0 ? 0 : s.expiry(i) - now);
                    }
                });
            }
        }
    }

    /** Bytes held by the table's arrays now (the benchmark's memory figure). */
    public long footprint() {
        long n = 4L * versions.length;
        for (StickSegment s : segments) {
            synchronized (s) {
                n += s.footprint();
            }
        }
        return n;
    }
}
