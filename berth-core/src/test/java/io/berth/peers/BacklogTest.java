package io.berth.peers;

import io.berth.model.StickTableSpec.KeyType;
import io.berth.persist.stick.StickTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-peer backlog: coalescing by key, bounded, overflow turns into a full push. */
class BacklogTest {
    private final StickTable table = PeerFixtures.table("t", KeyType.INTEGER, 4, 0, "gpc0");
    private final SyncedTable synced = new SyncedTable(table, 1);

    @Test
    void coalescesRepeatedKeysAndKeepsFirstTouchOrder() {
        Backlog b = new Backlog(10);
        assertThat(b.add(synced, new int[] {1})).isTrue();
        assertThat(b.add(synced, new int[] {2})).isFalse();
        for (int i = 0; i < 1000; i++) {
            b.add(synced, new int[] {1});
        }
        assertThat(b.size()).isEqualTo(2);
        List<int[]> out = new ArrayList<>();
        assertThat(b.take(64, out)).isSameAs(synced);
        assertThat(out).extracting(k -> k[0]).containsExactly(1, 2);
        assertThat(b.isEmpty()).isTrue();
        assertThat(b.take(64, out)).isNull();
    }

    @Test
    void overflowDropsTheKeysAndMarksTheTableForAFullPush() {
        Backlog b = new Backlog(1000);
        for (int i = 0; i < 1_000_000; i++) {
            b.add(synced, new int[] {i});
            assertThat(b.size()).isLessThanOrEqualTo(1000);
        }
        assertThat(b.isFull(synced)).isTrue();
        assertThat(b.size()).isZero();
        assertThat(b.isEmpty()).isFalse();
        assertThat(b.takeFull()).isSameAs(synced);
        assertThat(b.takeFull()).isNull();
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void takeHonoursTheBatchSize() {
        Backlog b = new Backlog(1000);
        for (int i = 0; i < 150; i++) {
            b.add(synced, new int[] {i});
        }
        List<int[]> out = new ArrayList<>();
        b.take(64, out);
        assertThat(out).hasSize(64);
        assertThat(out.get(0)[0]).isZero();
        assertThat(b.size()).isEqualTo(86);
    }
}
