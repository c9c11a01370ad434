package io.berth.persist.stick;

import io.berth.model.Location;
import io.berth.model.StickTableSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change listener peers rely on: told of local stores, match hits, counter updates and {@code set table}
 * (with the key), not of reads, misses or learned entries; raw rate words and learned lifetimes round-trip.
 */
class StickChangeListenerTest {
    private static StickTable table(long expireMs, String... store) {
        List<StickTableSpec.StoreSpec> s = new ArrayList<>();
        for (String d : store) {
            int p = d.indexOf('(');
            s.add(p < 0 ? new StickTableSpec.StoreSpec(d, -1)
                    : new StickTableSpec.StoreSpec(d.substring(0, p), Long.parseLong(d.substring(p + 1, d.length() - 1))));
        }
        return new StickTable(new StickTableSpec("t", Location.NONE, StickTableSpec.KeyType.INTEGER, 4, 1024, expireMs,
                false, "p", StickTableSpec.ServerKeyType.NAME, s),
                EnumSet.of(StickDataType.SERVER_ID, StickDataType.SERVER_KEY));
    }

    @Test
    void localChangesAreReportedAndReadsAndLearnedEntriesAreNot() {
        StickTable t = table(60_000, "gpc0", "http_req_rate(10000)");
        List<String> seen = new ArrayList<>();
        t.listen((table, key) -> seen.add(table.name() + ":" + key[0]));
        int now = 1_000_000;
        assertThat(t.lookupServer(5, now)).isEqualTo(StickTable.ABSENT);
        assertThat(t.storeServer(5, now, 2, 0)).isTrue();
        assertThat(t.storeServer(new int[] {6}, now, 1, 0)).isTrue();
        assertThat(t.lookupServer(5, now + 1)).isEqualTo(2);
        assertThat(t.lookupServer(new int[] {6}, now + 1)).isEqualTo(1);
        t.update(new int[] {7}, now, true, true, e -> e.add(StickDataType.GPC0, 1));
        t.update(new int[] {7}, now, false, false, e -> e.get(StickDataType.GPC0));
        t.update(new int[] {8}, now, false, true, e -> { });
        t.learn(new int[] {9}, now, 1000, e -> e.set(StickDataType.GPC0, 4));
        assertThat(seen).containsExactly("t:5", "t:6", "t:5", "t:6", "t:7");
        t.listen(null);
        t.storeServer(10, now, 1, 0);
        assertThat(seen).hasSize(5);
    }

    @Test
    void rateWordsAndLearnedLifetimeRoundTrip() {
        StickTable t = table(60_000, "http_req_rate(10000)");
        int now = 2_000_000;
        t.update(new int[] {1}, now, true, true, e -> e.add(StickDataType.HTTP_REQ_RATE, 3));
        int[][] words = new int[1][];
        t.update(new int[] {1}, now + 4000, false, false, e -> words[0] = e.rateWords(StickDataType.HTTP_REQ_RATE));
        assertThat(words[0]).containsExactly(now, 3, 0);

        StickTable other = table(60_000, "http_req_rate(10000)");
        other.learn(new int[] {1}, now + 4000, 15_000, e -> e.setRateWords(StickDataType.HTTP_REQ_RATE,
                words[0][0], words[0][1], words[0][2]));
        other.learn(new int[] {2}, now + 4000, -1, e -> { });
        List<String> left = new ArrayList<>();
        long[] rate = new long[1];
        other.forEach(now + 5000, (key, e, ms) -> {
            left.add(key[0] + "=" + ms);
            if (key[0] == 1) {
                rate[0] = e.get(StickDataType.HTTP_REQ_RATE);
            }
        });
        // most recent (latest expiry) first: key 2 got the full expire, key 1 its learned 15 s
        assertThat(left).containsExactly("2=59000", "1=14000");
        assertThat(rate[0]).isEqualTo(3);
        // the learned entry expires at its own time, not the table's
        assertThat(other.lookupServer(1, now + 4000 + 15_000)).isEqualTo(StickTable.ABSENT);
        assertThat(other.lookupServer(2, now + 4000 + 15_000)).isNotEqualTo(StickTable.ABSENT);
    }
}
