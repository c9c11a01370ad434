package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.ProxyOptionsSpec;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quality of consistent hashing with HAProxy's ring (weight × 16 points per server): share of keys moved when
 * one of N servers is removed (ideal 1/N, and only the removed server's keys) and load spread max/mean over
 * 100k keys. Prints the figures; asserts what HAProxy guarantees and loose spread bounds of this ring size.
 */
class ConsistentHashQualityTest {

    @Test
    void removingOneServerMovesOnlyItsKeys() {
        for (int n : new int[]{3, 5, 10}) {
            TestServers t = TestServers.backend();
            for (int i = 0; i < n; i++) {
                t.server("s" + i, 1);
            }
            ServerGroup g = t.group();
            HashBalancer b = (HashBalancer) Balancers.create(new BalanceSpec(BalanceSpec.Algorithm.SOURCE, null,
                    false, 0, 0, false, BalanceSpec.HashType.CONSISTENT, BalanceSpec.HashFunction.SDBM, true),
                    ProxyOptionsSpec.DEFAULTS, g);
            int keys = 100_000;
            String[] before = new String[keys];
            int[] hashes = new int[keys];
            SplittableRandom rnd = new SplittableRandom(42);
            Map<String, Integer> load = new HashMap<>();
            for (int i = 0; i < keys; i++) {
                hashes[i] = rnd.nextInt();
                before[i] = b.serverForKey(hashes[i]).name();
                load.merge(before[i], 1, Integer::sum);
            }
            double mean = keys / (double) n;
            double max = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            g.byName("s1").setAdminMaint(true);
            int moved = 0;
            int movedOthers = 0;
            for (int i = 0; i < keys; i++) {
                String now = b.serverForKey(hashes[i]).name();
                if (!now.equals(before[i])) {
                    moved++;
                    if (!before[i].equals("s1")) {
                        movedOthers++;
                    }
                }
            }
            System.out.printf("consistent N=%d: moved %.2f%% of keys on removal (ideal %.2f%%), "
                    + "moved from other servers %d, max/mean load %.3f%n",
                    n, 100.0 * moved / keys, 100.0 / n, movedOthers, max / mean);
            assertThat(movedOthers).isZero();
            assertThat(moved).isEqualTo(load.get("s1"));
            assertThat(max / mean).isLessThan(1.6); // 16 points per server: arcs are uneven, not wild
        }
    }
}
