package io.berth.persist.stick;

import io.berth.model.Location;
import io.berth.model.StickTableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The table's eviction, expiry and nopurge as HAProxy 2.6 behaves, and the table against a reference model. */
class StickTableTest {
    static StickTableSpec spec(StickTableSpec.KeyType type, int keySize, long size, long expire, boolean nopurge,
                               StickTableSpec.StoreSpec... store) {
        return new StickTableSpec("t", Location.NONE, type, keySize, size, expire, nopurge, null,
                StickTableSpec.ServerKeyType.NAME, List.of(store));
    }

    private static StickTable table(long size, long expire, boolean nopurge) {
        return new StickTable(spec(StickTableSpec.KeyType.INTEGER, 4, size, expire, nopurge),
                Set.of(StickDataType.SERVER_ID, StickDataType.SERVER_KEY));
    }

    /** One {@code stick on} request then its response, as process_sticking_rules + process_store_rules. */
    private static long stickOn(StickTable t, int key, int now, int serverId) {
        int[] k = {key};
        long hit = t.lookupServer(k, now);
        if (t.reserve(k, now)) {
            t.storeServer(k, now, serverId, 0);
        }
        return hit;
    }

    @Test
    void haproxyEvictionExampleSize4() {
        // reference §2.3, verified on 2.6: size 4, keys 1-4, key 1 reused, key 5 inserted => key 2 evicted
        StickTable t = table(4, 3_600_000, false);
        int now = 1_000;
        for (int k = 1; k <= 4; k++) {
            stickOn(t, k, now += 10, k);
        }
        assertThat(stickOn(t, 1, now += 10, 1)).isEqualTo(1L);
        assertThat(stickOn(t, 5, now += 10, 2)).isEqualTo(StickTable.ABSENT);
        assertThat(t.used()).isEqualTo(4);
        assertThat(t.lookupServer(2, now)).isEqualTo(StickTable.ABSENT);
        assertThat(t.lookupServer(1, now)).isEqualTo(1L);
        assertThat(t.lookupServer(3, now)).isEqualTo(3L);
        assertThat(t.lookupServer(4, now)).isEqualTo(4L);
        assertThat(t.lookupServer(5, now)).isEqualTo(2L);
    }

    @Test
    void fullTableReuseOfAnExistingKeyStillPurgesTheOldest() {
        // HAProxy allocates the new session (purging when full) before it finds the key exists
        StickTable t = table(4, 3_600_000, false);
        for (int k = 1; k <= 4; k++) {
            stickOn(t, k, 100 + k, k);
        }
        stickOn(t, 4, 200, 4);
        assertThat(t.used()).isEqualTo(3);
        assertThat(t.lookupServer(1, 201)).isEqualTo(StickTable.ABSENT);
    }

    @Test
    void purgesSizeOver256PlusOneAtATime() {
        StickTable t = table(1000, 0, false);
        for (int k = 0; k < 1000; k++) {
            stickOn(t, k, k, 1);
        }
        stickOn(t, 5000, 2000, 1);
        // (1000 >> 8) + 1 = 4 oldest purged, then the new key inserted
        assertThat(t.used()).isEqualTo(997);
        for (int k = 0; k < 4; k++) {
            assertThat(t.lookupServer(k, 2001)).isEqualTo(StickTable.ABSENT);
        }
        assertThat(t.lookupServer(4, 2001)).isEqualTo(1L);
    }

    @Test
    void nopurgeRefusesNewKeysAndKeepsOldOnes() {
        StickTable t = table(10, 3_600_000, true);
        for (int k = 1; k <= 10; k++) {
            stickOn(t, k, k, 1);
        }
        assertThat(t.reserve(new int[] {11}, 20)).isFalse();
        assertThat(t.storeServer(11, 20, 2, 0)).isFalse();
        assertThat(t.lookupServer(11, 21)).isEqualTo(StickTable.ABSENT);
        assertThat(t.used()).isEqualTo(10);
        assertThat(t.lookupServer(1, 21)).isEqualTo(1L);
    }

    @Test
    void entriesExpireAfterTheirLastTouchAndMatchRefreshes() {
        StickTable t = table(100, 1000, false);
        t.storeServer(7, 10_000, 3, 0);
        assertThat(t.lookupServer(7, 10_999)).isEqualTo(3L);   // touch: expires at 11_999 now
        assertThat(t.lookupServer(7, 11_998)).isEqualTo(3L);   // and now at 12_998
        assertThat(t.lookupServer(7, 12_998)).isEqualTo(StickTable.ABSENT);
        assertThat(t.used()).isZero();
    }

    @Test
    void expirySweepWorksAcrossTheTickWrap() {
        StickTable t = table(100, 1000, false);
        int now = Integer.MAX_VALUE - 500;
        t.storeServer(1, now, 1, 0);
        t.storeServer(2, now + 600, 2, 0);
        assertThat(t.expire(now + 1000, 100)).isEqualTo(1);
        assertThat(t.lookupServer(2, now + 1200)).isEqualTo(2L);
    }

    @Test
    void serverKeyIdTravelsWithServerId() {
        StickTable t = table(10, 0, false);
        int id = ServerKeys.intern("s-key-test");
        t.storeServer(9, 1, 42, id);
        long hit = t.lookupServer(9, 2);
        assertThat((int) hit).isEqualTo(42);
        assertThat(ServerKeys.name((int) (hit >>> 32))).isEqualTo("s-key-test");
    }

    /**
     * Entries held by a tracking stream (HAProxy's {@code ref_cnt}): never purged to make room, never expired,
     * not deleted by {@code clear table}; released, they are ordinary entries again.
     */
    @Test
    void heldEntriesAreNeitherPurgedNorExpiredNorCleared() {
        StickTable t = table(2, 1000, false);
        int now = 5_000;
        assertThat(t.track(new int[] {1}, now, e -> { })).isTrue();
        assertThat(t.track(new int[] {2}, now, e -> { })).isTrue();
        // full of held entries: a new key is refused, none is purged
        assertThat(t.storeServer(3, now, 1, 0)).isFalse();
        assertThat(t.used()).isEqualTo(2);
        // past expire: still there, for lookups and the expiry task alike
        assertThat(t.expire(now + 5000, 100)).isEqualTo(2);
        assertThat(t.used()).isEqualTo(2);
        assertThat(t.lookupServer(1, now + 5000)).isEqualTo(0L);
        t.clear();
        assertThat(t.remove(new int[] {2})).isFalse();
        assertThat(t.used()).isEqualTo(2);
        int[] uses = new int[1];
        t.forEach(now + 5000, (k, e, ms) -> uses[0] += e.uses());
        assertThat(uses[0]).isEqualTo(2);
        // released: a fresh expiry. The purge meets the entry touched since queued and requeues it (HAProxy's
        // second chance, 2 visits for a batch of 1): the first new key is refused, the next takes its place
        assertThat(t.untrack(new int[] {2}, now + 6000, e -> { })).isTrue();
        assertThat(t.storeServer(3, now + 6000, 1, 0)).isFalse();
        assertThat(t.storeServer(3, now + 6000, 1, 0)).isTrue();
        assertThat(t.lookupServer(2, now + 6000)).isEqualTo(StickTable.ABSENT);
        assertThat(t.lookupServer(1, now + 6000)).isEqualTo(0L);
        assertThat(t.untrack(new int[] {1}, now + 6000, e -> { })).isTrue();
        assertThat(t.expire(now + 7001, 100)).isEqualTo(2);
        assertThat(t.used()).isZero();
    }

    /**
     * A seeded random sequence of stores, matches, deletes and clock jumps against a reference built from a
     * LinkedHashMap in access order (least recent first): same answers and same size after every step.
     */
    @Test
    void matchesReferenceModelUnderRandomOperations() {
        for (int seed = 1; seed <= 20; seed++) {
            for (int size : new int[] {1, 4, 50, 700}) {
                runModel(new Random(seed * 31L + size), size, seed % 2 == 0 ? 0 : 500, seed % 5 == 0);
            }
        }
    }

    private static void runModel(Random rnd, int size, int expire, boolean nopurge) {
        StickTable t = table(size, expire, nopurge);
        Reference ref = new Reference(size, expire, nopurge);
        int now = rnd.nextInt();
        int keys = size * 2 + 3;
        for (int step = 0; step < 3000; step++) {
            int key = rnd.nextInt(keys);
            int op = rnd.nextInt(10);
            if (op < 4) {
                int server = 1 + rnd.nextInt(5);
                boolean stored = t.storeServer(key, now, server, 0);
                assertThat(stored).as("store %d step %d", key, step).isEqualTo(ref.store(key, server, now));
            } else if (op < 8) {
                long hit = t.lookupServer(key, now);
                Integer want = ref.lookup(key, now);
                assertThat(hit).as("lookup %d step %d", key, step).isEqualTo(want == null ? -1L : (long) want);
            } else if (op < 9) {
                assertThat(t.remove(new int[] {key})).isEqualTo(ref.remove(key, now));
            } else {
                now += rnd.nextInt(expire == 0 ? 100 : expire / 2);
            }
            assertThat(t.used()).as("used at step %d", step).isEqualTo(ref.entries.size());
        }
    }

    /**
     * Big tables (several segments, lazy recency, lock-free hits) and multi-word keys ({@code type string len 12}
     * through the {@code int[]} calls), against a plain map of live entries: a seeded random sequence of stores,
     * matches, deletes and clock jumps over fewer keys than the size (eviction order is the exact-mode test's
     * business), with answers compared after every step. Expire is 505 ms and the clock moves in steps of 10 ms
     * from an odd start, so lookups fall on either side of expiries and never on one. Without {@code expire} too,
     * where the word a lock-free hit tests holds the last touch instead of an expiry. Both layouts of big tables:
     * records in one array (lock-free hits), and segments with arrays of their own (the tables past
     * {@link StickTable#FLAT_LIMIT_WORDS}).
     */
    @ParameterizedTest
    @ValueSource(longs = {StickTable.FLAT_LIMIT_WORDS, 0})
    void bigTablesAndLongKeysMatchAMapOfLiveEntries(long flatLimitWords) {
        for (int seed = 1; seed <= 6; seed++) {
            for (int words : new int[] {1, 3}) {
                int expire = seed % 3 == 0 ? 0 : 505;
                Random rnd = new Random(seed * 7919L + words);
                StickTable t = new StickTable(spec(words == 1 ? StickTableSpec.KeyType.INTEGER
                        : StickTableSpec.KeyType.STRING, 4 * words, 40_000, expire, false),
                        Set.of(StickDataType.SERVER_ID, StickDataType.SERVER_KEY), flatLimitWords);
                Map<List<Integer>, int[]> ref = new java.util.HashMap<>();
                int now = 1_000_005;
                for (int step = 0; step < 60_000; step++) {
                    int[] key = new int[words];
                    key[0] = rnd.nextInt(30_000) * 0x9E3779B9;
                    for (int w = 1; w < words; w++) {
                        key[w] = key[0] ^ w;
                    }
                    List<Integer> k = java.util.Arrays.stream(key).boxed().toList();
                    int[] e = ref.get(k);
                    if (e != null && expire != 0 && e[1] - now <= 0) {
                        ref.remove(k);
                        e = null;
                    }
                    int op = rnd.nextInt(20);
                    if (op < 8) {
                        int server = 1 + rnd.nextInt(9);
                        boolean stored = words == 1 ? t.storeServer(key[0], now, server, 0)
                                : t.storeServer(key, now, server, 0);
                        assertThat(stored).isTrue();
                        ref.put(k, new int[] {server, now + 505});
                    } else if (op < 18) {
                        long hit = words == 1 ? t.lookupServer(key[0], now) : t.lookupServer(key, now);
                        assertThat(hit).as("lookup step %d", step).isEqualTo(e == null ? -1L : (long) e[0]);
                        if (e != null) {
                            e[1] = now + 505;
                        }
                    } else if (op < 19) {
                        t.remove(key);
                        ref.remove(k);
                    } else {
                        now += 10 * (1 + rnd.nextInt(12));
                    }
                }
                // every live entry is still there (expired ones may wait for the sweep, never the reverse)
                int live = 0;
                for (Map.Entry<List<Integer>, int[]> x : ref.entrySet()) {
                    if (expire == 0 || x.getValue()[1] - now > 0) {
                        live++;
                    }
                }
                assertThat(t.used()).isGreaterThanOrEqualTo(live).isLessThanOrEqualTo(ref.size());
            }
        }
    }

    /**
     * Big tables under churn (five times more keys than entries, so most stores purge): a hit is always the value
     * last stored for the key (never one deleted or purged before), the table never holds more than {@code size},
     * and every key stored or touched in the current millisecond is there (the clock hand purges old entries).
     * Both layouts of big tables, as {@link #bigTablesAndLongKeysMatchAMapOfLiveEntries}.
     */
    @ParameterizedTest
    @ValueSource(longs = {StickTable.FLAT_LIMIT_WORDS, 0})
    void bigTablesUnderChurnKeepTheLatestValuesAndTheNewestKeys(long flatLimitWords) {
        for (int seed = 1; seed <= 4; seed++) {
            Random rnd = new Random(seed);
            int size = 20_000;
            StickTable t = new StickTable(spec(StickTableSpec.KeyType.INTEGER, 4, size, 60_000, false),
                    Set.of(StickDataType.SERVER_ID, StickDataType.SERVER_KEY), flatLimitWords);
            Map<Integer, Integer> latest = new java.util.HashMap<>();
            List<Integer> thisMs = new ArrayList<>();
            int now = 1;
            for (int step = 0; step < 200_000; step++) {
                if (step % 100 == 0) {
                    for (int k : thisMs) {
                        assertThat(t.lookupServer(k, now)).as("seed %d step %d key %d", seed, step, k)
                                .isEqualTo((long) latest.get(k));
                    }
                    assertThat(t.used()).isLessThanOrEqualTo(size);
                    thisMs.clear();
                    now++;
                }
                int key = rnd.nextInt(100_000) * 0x9E3779B9;
                int op = rnd.nextInt(10);
                if (op < 5) {
                    int server = 1 + rnd.nextInt(1000);
                    assertThat(t.storeServer(key, now, server, 0)).isTrue();
                    latest.put(key, server);
                    thisMs.add(key);
                } else if (op < 9) {
                    long hit = t.lookupServer(key, now);
                    if (hit != StickTable.ABSENT) {
                        assertThat(latest.get(key)).as("seed %d step %d: a hit on a deleted key", seed, step)
                                .isNotNull();
                        assertThat(hit).isEqualTo((long) latest.get(key));
                        thisMs.add(key);
                    }
                } else {
                    t.remove(new int[] {key});
                    latest.remove(key);
                    thisMs.remove((Integer) key);
                }
            }
        }
    }

    /**
     * The plain model of HAProxy 2.6's table: a map of entries plus a list sorted by queue key standing for its
     * expiry tree (ties in insertion order). A touch only sets the expiry; the purge ({@code
     * __stktable_trash_oldest}: at most 2 * batch visits, touched entries requeued) and the expiry walk
     * ({@code process_table_expire}, 8 entries per locked operation as Berth bounds it) work on the list.
     */
    private static final class Reference {
        private static final int SERVER = 0;
        private static final int EXP = 1;
        private static final int QKEY = 2;
        private static final int KEY = 3;
        final Map<Integer, int[]> entries = new java.util.HashMap<>();
        final List<int[]> queue = new ArrayList<>();
        final int size;
        final int expire;
        final boolean nopurge;
        /** {@code t->exp_next}: when the expiry walk runs next, if {@code due}. */
        int dueAt;
        boolean due;

        Reference(int size, int expire, boolean nopurge) {
            this.size = size;
            this.expire = expire;
            this.nopurge = nopurge;
        }

        private boolean expired(int[] e, int now) {
            return expire != 0 && e[EXP] - now <= 0;
        }

        private void dueBy(int tick) {
            if (!due || tick - dueAt < 0) {
                dueAt = tick;
                due = true;
            }
        }

        private void queue(int[] e, int qkey) {
            e[QKEY] = qkey;
            int i = queue.size();
            while (i > 0 && queue.get(i - 1)[QKEY] - qkey > 0) {
                i--;
            }
            queue.add(i, e);
        }

        private int[] after(int[] e) {
            int i = queue.indexOf(e) + 1;
            return i < queue.size() ? queue.get(i) : null;
        }

        private void delete(int[] e) {
            queue.remove(e);
            entries.remove(e[KEY]);
        }

        /** Requeues {@code e} at its expiry; the walk goes on from it when it now comes before {@code next}. */
        private int[] requeue(int[] e, int[] next) {
            queue.remove(e);
            queue(e, e[EXP]);
            return next == null || next[QKEY] - e[QKEY] > 0 ? e : next;
        }

        /** The expiry walk, when due, 8 entries at most (then still due). */
        private void sweep(int now) {
            if (expire == 0 || !due || now - dueAt < 0) {
                return;
            }
            due = false;
            int[] cur = queue.isEmpty() ? null : queue.get(0);
            for (int n = 0; cur != null; n++) {
                if (now - cur[QKEY] < 0) {
                    dueBy(cur[QKEY]);
                    break;
                }
                if (n == 8) {
                    dueBy(now);
                    break;
                }
                int[] e = cur;
                cur = after(e);
                if (expired(e, now)) {
                    delete(e);
                } else {
                    cur = requeue(e, cur);
                }
            }
        }

        private int purge(int batch) {
            int maxSearch = 2 * batch;
            int purged = 0;
            boolean looped = false;
            int[] cur = queue.isEmpty() ? null : queue.get(0);
            while (purged < batch) {
                if (cur == null) {
                    if (looped || queue.isEmpty()) {
                        break;
                    }
                    looped = true;
                    cur = queue.get(0);
                }
                if (--maxSearch < 0) {
                    break;
                }
                int[] e = cur;
                cur = after(e);
                if (e[EXP] != e[QKEY]) {
                    cur = requeue(e, cur);
                    continue;
                }
                delete(e);
                purged++;
            }
            return purged;
        }

        private int[] live(int key, int now) {
            int[] e = entries.get(key);
            if (e != null && expired(e, now)) {
                delete(e);
                return null;
            }
            return e;
        }

        boolean store(int key, int server, int now) {
            sweep(now);
            int[] e = live(key, now);
            if (e == null) {
                if (entries.size() >= size && (nopurge || purge((size >> 8) + 1) == 0)) {
                    return false;
                }
                e = new int[] {server, now + expire, 0, key};
                entries.put(key, e);
                queue(e, e[EXP]);
            }
            e[SERVER] = server;
            e[EXP] = now + expire;
            dueBy(e[EXP]);
            return true;
        }

        Integer lookup(int key, int now) {
            sweep(now);
            int[] e = live(key, now);
            if (e == null) {
                return null;
            }
            e[EXP] = now + expire;
            dueBy(e[EXP]);
            return e[SERVER];
        }

        boolean remove(int key, int now) {
            int[] e = entries.get(key);
            if (e != null) {
                delete(e);
            }
            return e != null;
        }
    }
}
