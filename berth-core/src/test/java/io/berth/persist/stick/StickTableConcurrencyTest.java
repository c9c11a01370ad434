package io.berth.persist.stick;

import io.berth.model.StickTableSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Big (segmented) tables: lock-free hits under concurrent writers, the table-wide bound, and the clock hand's
 * purge by age ({@link ClockHand}): new and touched entries stay while older ones go.
 */
class StickTableConcurrencyTest {
    private static final int SIZE = 1 << 15;

    private static StickTable table(long expire) {
        return new StickTable(StickTableTest.spec(StickTableSpec.KeyType.IP, 4, SIZE, expire, false),
                Set.of(StickDataType.SERVER_ID, StickDataType.SERVER_KEY));
    }

    /** The server id each key is stored with: a torn or misattributed read shows as another value. */
    private static long idOf(int key) {
        return (key * 0x2545F491 >>> 1) | 1;
    }

    @Test
    void holdsExactlySizeEntriesAsHaproxyDoes() {
        StickTable t = table(0);
        for (int k = 0; k < SIZE; k++) {
            assertThat(t.storeServer(k * 0x9E3779B9, 1, (int) idOf(k), 0)).isTrue();
        }
        assertThat(t.used()).isEqualTo(SIZE);
        for (int k = 0; k < SIZE; k++) {
            assertThat(t.lookupServer(k * 0x9E3779B9, 2)).isEqualTo(idOf(k));
        }
        // one more key: each full segment purges (share >> 8) + 1 = 33 of its own oldest entries
        t.storeServer(-7, 3, 1, 0);
        assertThat(t.used()).isEqualTo(SIZE - 33 + 1);
    }

    /**
     * The clock hand purges by age: an entry goes only once it is at least 7/8 as old as the oldest of its
     * segment, so new and touched entries stay, and the old ones go about oldest first.
     */
    @Test
    void newAndTouchedEntriesSurviveThePurgeOfOlderOnes() {
        StickTable t = table(3_600_000);
        // ages spread over 4 s: key k stored at k / 8
        for (int k = 0; k < SIZE; k++) {
            t.storeServer(k, k / 8, (int) idOf(k), 0);
        }
        // every 10th key is hit (lock-free: only its expiry changes) after all were stored
        int now = 5_000;
        for (int k = 0; k < SIZE; k += 10) {
            assertThat(t.lookupServer(k, now)).isEqualTo(idOf(k));
        }
        // half a table of new keys: each needs an old one to go
        for (int k = 0; k < SIZE / 2; k++) {
            assertThat(t.storeServer(SIZE + k, now + 1 + k / 64, (int) idOf(SIZE + k), 0)).isTrue();
        }
        assertThat(t.used()).isLessThanOrEqualTo(SIZE);
        int later = now + 1_000;
        for (int k = 0; k < SIZE; k += 10) {
            assertThat(t.lookupServer(k, later)).as("touched key %d", k).isEqualTo(idOf(k));
        }
        for (int k = 0; k < SIZE / 2; k++) {
            assertThat(t.lookupServer(SIZE + k, later)).as("new key %d", k).isEqualTo(idOf(SIZE + k));
        }
        // about oldest first: the oldest quarter of the untouched keys all went, the newest quarter all stayed
        for (int k = 1; k < SIZE; k++) {
            if (k % 10 != 0 && k < SIZE / 4) {
                assertThat(t.lookupServer(k, later)).as("old key %d", k).isEqualTo(StickTable.ABSENT);
            } else if (k % 10 != 0 && k >= SIZE * 3 / 4) {
                assertThat(t.lookupServer(k, later)).as("recent key %d", k).isEqualTo(idOf(k));
            }
        }
    }

    @Test
    void expiredEntriesAreNeverReturnedAndTheSweepKeepsTouchedOnes() {
        StickTable t = table(1_000);
        for (int k = 0; k < 1000; k++) {
            t.storeServer(k, 10_000, (int) idOf(k), 0);
        }
        for (int k = 0; k < 1000; k += 2) {
            t.lookupServer(k, 10_500);                           // even keys now expire at 11_500
        }
        assertThat(t.lookupServer(1, 11_000)).isEqualTo(StickTable.ABSENT);
        while (t.expireSlice(11_200, 64)) {
            // slices until nothing more is due
        }
        assertThat(t.used()).isEqualTo(500);
        assertThat(t.lookupServer(2, 11_200)).isEqualTo(idOf(2));
        // expiries are exact, as in small tables
        assertThat(t.lookupServer(4, 11_499)).isEqualTo(idOf(4));
        assertThat(t.lookupServer(6, 11_500)).isEqualTo(StickTable.ABSENT);
    }

    /** A sweep turn reads every position: turns start at most once a second, lookups never wait for one. */
    @Test
    void theSweepTurnsAtMostOnceASecondAndLookupsNeverWaitForIt() {
        StickTable t = table(100);
        for (int k = 0; k < 1000; k++) {
            t.storeServer(k, 0, (int) idOf(k), 0);
        }
        for (int k = 0; k < 1000; k += 2) {
            t.storeServer(k, 50, (int) idOf(k), 0);           // even keys now expire at 150
        }
        while (t.expireSlice(100, 4096)) {
            // the turn due at 100 deletes the odd keys
        }
        assertThat(t.used()).isEqualTo(500);
        // at 150 the even keys expire: a lookup says so at once (and deletes its own entry)
        assertThat(t.lookupServer(2, 150)).isEqualTo(StickTable.ABSENT);
        assertThat(t.used()).isEqualTo(499);
        // the next turn waits until a second after the last one ended
        while (t.expireSlice(1_099, 4096)) {
            // not due
        }
        assertThat(t.used()).isEqualTo(499);
        while (t.expireSlice(1_100, 4096)) {
            // due
        }
        assertThat(t.used()).isZero();
    }

    @Test
    void concurrentReadersNeverSeeAnotherKeysValue() throws Exception {
        StickTable t = table(0);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> list = new ArrayList<>();
        for (int n = 0; n < threads; n++) {
            int seed = n;
            Thread th = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                try {
                    start.await();
                    for (int step = 0; step < 400_000; step++) {
                        int key = r.nextInt(SIZE * 3);
                        int op = r.nextInt(10);
                        if (op < 3) {
                            t.storeServer(key, step, (int) idOf(key), 0);
                        } else if (op < 9) {
                            long hit = t.lookupServer(key, step);
                            if (hit != StickTable.ABSENT && hit != idOf(key)) {
                                throw new AssertionError("key " + key + " read " + hit);
                            }
                        } else {
                            t.remove(new int[] {key});
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            th.start();
            list.add(th);
        }
        start.countDown();
        for (Thread th : list) {
            th.join();
        }
        assertThat(failure.get()).isNull();
        int[] seen = {0};
        t.forEach(1, (k, e, exp) -> {
            seen[0]++;
            assertThat(e.get(StickDataType.SERVER_ID)).isEqualTo(idOf(k[0]));
        });
        assertThat(seen[0]).isEqualTo(t.used());
        assertThat(t.used()).isLessThanOrEqualTo(SIZE);
    }
}
