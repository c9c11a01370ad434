package io.berth.persist.stick;

import io.berth.model.Location;
import io.berth.model.StickTableSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The stick table's targets (issue 5) for {@code type ip size 1m store server_id}: lookup of an existing key,
 * insert into a full table (every insert evicts), filling 1M entries from empty, and bytes per entry (printed by
 * {@link #main} from the table's own arrays, since JMH measures time). One thread: the per-core figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class StickTableBenchmark {
    static final int SIZE = 1 << 20;

    /** Entries (a power of two): 1m is the target's table; smaller sizes show the cost once the table is cached. */
    @Param({"1048576"})
    public int size;

    private StickTable table;
    /** As many bytes as the table's records, read at random by {@link #randomRecordRead}. */
    private int[] records;
    private int i;
    private int next;
    /** {@link #lookupExistingClockMoving}'s millisecond tick. */
    private int tick;

    static StickTable newTable() {
        return newTable(SIZE);
    }

    static StickTable newTable(int size) {
        StickTableSpec spec = new StickTableSpec("bench", Location.NONE, StickTableSpec.KeyType.IP, 4, size,
                1_800_000, false, null, StickTableSpec.ServerKeyType.NAME,
                List.of(new StickTableSpec.StoreSpec("server_id", -1)));
        return new StickTable(spec, Set.of());
    }

    @Setup(Level.Trial)
    public void fill() {
        table = newTable(size);
        for (int k = 0; k < size; k++) {
            table.storeServer(key(k), 1, k & 7, 0);
        }
        records = new int[(int) (table.footprint() / 4)];
        java.util.Arrays.setAll(records, x -> x * 31 + 7);
        next = Integer.MIN_VALUE;
    }

    /**
     * The k-th key stored: computed rather than read from an array of a million keys, whose 4 MB would stream
     * through the caches the table competes for, which a proxy's keys (from the connection at hand) never do.
     * Multiplying by an odd constant is a bijection, so the keys are distinct; the table hashes them anyway.
     */
    private static int key(int k) {
        return k * 0x9E3779B9;
    }

    /** A stick match of a key that is in the table (refreshes its expiry and recency). */
    @Benchmark
    public long lookupExisting() {
        int k = key(i);
        if (++i == size) {
            i = 0;
        }
        return table.lookupServer(k, 2);
    }

    /**
     * {@link #lookupExisting} with the clock moving as under load: a tick every 16384 lookups (a millisecond at
     * 16 M/s), so that a key comes back ticks later and every hit also refreshes its expiry (the compare-and-set a
     * live proxy pays, which {@link #lookupExisting}, in one millisecond after the first pass, does not).
     */
    @Benchmark
    public long lookupExistingClockMoving() {
        int k = key(i);
        if (++i == size) {
            i = 0;
        }
        if ((i & 16383) == 0) {
            tick++;
        }
        return table.lookupServer(k, 2 + tick);
    }

    /**
     * The machine's ceiling for {@link #lookupExisting}, measured in the same run: one random 12-byte record read
     * from an array as big as the table's, with nothing else (no segment, no probe, no compare, no branch), so
     * the processor overlaps as many of these misses as it can. The lookup's figure over this one says how much
     * of the memory system's random-access rate the table gets; the absolute figures move with the neighbours
     * on a shared machine.
     */
    @Benchmark
    public int randomRecordRead() {
        int k = key(i);
        if (++i == size) {
            i = 0;
        }
        int at = (int) ((StickHash.hash1(k) & 0xffffffffL) * (records.length / 3) >>> 32) * 3;
        return records[at] + records[at + 1] + records[at + 2];
    }

    /** A store of a new key into the full table: each one evicts (size>>8)+1 entries of its segment at times. */
    @Benchmark
    public boolean insertWithEviction() {
        return table.storeServer(next++ * 0x9E3779B9, 3, 1, 0);
    }

    /** Creating a 1m table and filling it with 1M distinct keys. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5)
    @Warmup(iterations = 3)
    public StickTable fill1M() {
        StickTable t = newTable();
        for (int k = 0; k < SIZE; k++) {
            t.storeServer(k * 0x9E3779B9, 1, 1, 0);
        }
        return t;
    }

    /**
     * Prints bytes per entry of a full 1m table and the longest pause of the expiry task: slices of
     * {@code StickStep}'s budget (1024 entries per call, all segments together) until the table is empty, after
     * a few rounds that let the JIT compile the sweep.
     */
    public static void main(String[] args) {
        StickTable t = null;
        long[] took = new long[0];
        int slices = 0;
        for (int round = 0; round < 4; round++) {
            t = newTable();
            for (int k = 0; k < SIZE; k++) {
                t.storeServer(k * 0x9E3779B9, 1, 1, 0);
            }
            if (round == 3) {
                System.out.printf("entries=%d arrays=%d bytes, %.1f bytes/entry%n", t.used(), t.footprint(),
                        t.footprint() / (double) t.used());
            }
            // a slice visits up to 1024 positions (big tables sweep positions, free ones included)
            took = new long[4 * SIZE / 1024];
            slices = 0;
            // past every expiry
            int now = 1 + 1_800_000 + 1;
            while (t.used() > 0) {
                long a = System.nanoTime();
                t.expireSlice(now, 1024);
                took[slices++] = System.nanoTime() - a;
            }
        }
        long[] sorted = java.util.Arrays.copyOf(took, slices);
        java.util.Arrays.sort(sorted);
        System.out.printf("expire 1M: %d slices of 1024 positions visited, median %.3f ms, p99 %.3f ms,"
                + " longest %.3f ms%n", slices, sorted[slices / 2] / 1e6, sorted[slices * 99 / 100] / 1e6, sorted[slices - 1] / 1e6);
    }
}
