package io.berth.peers;

import io.berth.model.StickTableSpec.KeyType;
import io.berth.peers.wire.DataValue;
import io.berth.peers.wire.TableDefinition;
import io.berth.peers.wire.TableUpdate;
import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickKeys;
import io.berth.persist.stick.StickTable;
import io.berth.sample.Sample;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Berth's tables seen through the protocol: definitions equal to HAProxy's, keys and values both ways. */
class SyncedTableTest {
    private static String definition(StickTable t, int id) {
        ByteBuf b = Unpooled.buffer();
        new SyncedTable(t, id).definition().encode(b);
        return ByteBufUtil.hexDump(b);
    }

    @Test
    void definitionsAreTheBytesHaproxySendsForTheSameTables() {
        // e6's be_src: type ip expire 10m store gpc0,http_req_rate(10s) + server_id/server_key added by `stick on`
        StickTable beSrc = PeerFixtures.table("be_src", KeyType.IP, 4, 600000, "server_id", "gpc0",
                "http_req_rate(10000)", "server_key");
        assertThat(definition(beSrc, 2)).isEqualTo("0a821602066265 5f737263 0404f5b1ff00f0eda3010af0e203"
                .replace(" ", ""));
        StickTable tStr = PeerFixtures.table("t_str", KeyType.STRING, 9, 3600000, "server_id");
        assertThat(definition(tStr, 3)).isEqualTo("0a820e0305745f7374720609" + "01f0d9dc0c");
        StickTable tInt = PeerFixtures.table("t_int", KeyType.INTEGER, 4, 3600000, "conn_cnt");
        assertThat(definition(tInt, 4)).isEqualTo("0a820e0405745f696e740204" + "10f0d9dc0c");
    }

    @Test
    void stringKeysTravelWithoutPaddingAndApplyOverwrites() {
        StickTable t = PeerFixtures.table("t_str", KeyType.STRING, 9, 3600000, "server_id", "conn_cur",
                "conn_rate(1000)");
        SyncedTable s = new SyncedTable(t, 1);
        int[] abc = StickKeys.encode(Sample.ofString("abc"), KeyType.STRING, 9);
        assertThat(s.wireKey(abc)).containsExactly('a', 'b', 'c');
        assertThat(s.tableKey(new byte[] {'a', 'b', 'c'})).containsExactly(abc);
        TableDefinition d = s.definition();
        assertThat(s.matches(d.withId(9))).isTrue();
        assertThat(s.matches(new TableDefinition(1, "t_str", TableDefinition.KEY_STRING, 33, d.dataBits(), 0,
                null, null))).isFalse();
        int now = StickClock.now();
        s.apply(new TableUpdate(0x80, 1, -1, "abc".getBytes(), List.of(DataValue.counter(0, 5),
                DataValue.counter(6, 9), DataValue.freq(5, 0, 3, 0))), now);
        s.apply(new TableUpdate(0x80, 2, -1, "abc".getBytes(), List.of(DataValue.counter(0, 6),
                DataValue.counter(6, 9), DataValue.freq(5, 0, 3, 0))), now);
        // server_id overwritten, conn_cur never learned, the rate applied once (on creation)
        assertThat(PeerFixtures.dump(t)).containsExactly("abc server_id=6 conn_rate=3 conn_cur=0");
    }
}
