package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Definitions, updates and acks against the bytes HAProxy 2.6 sent in experiment e6 (reference §6.5/§6.6,
 * haproxy-experiments/e6/relay*.log): each capture decodes to the expected fields and re-encodes to itself.
 */
class MessagesGoldenTest {
    static final String DEF_BE_SRC = "0a 82 16 02 06 62 65 5f 73 72 63 04 04 f5 b1 ff 00 f0 ed a3 01 0a f0 e2 03";
    static final String DEF_T_STR = "0a 82 0e 03 05 74 5f 73 74 72 06 09 01 f0 d9 dc 0c";
    static final String DEF_TP = "0a 82 0c 01 03 2f 74 70 06 11 04 f0 af 91 00";
    static final String DEF_T_INT = "0a 82 0e 04 05 74 5f 69 6e 74 02 04 10 f0 d9 dc 0c";

    static List<PeerFrames.Frame> frames(String hex) throws Exception {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(hex));
        List<PeerFrames.Frame> out = new ArrayList<>();
        PeerFrames.Frame f;
        while ((f = PeerFrames.next(in)) != null) {
            out.add(f);
        }
        assertThat(in.readableBytes()).isZero();
        return out;
    }

    static TableDefinition definition(String hex) throws Exception {
        PeerFrames.Frame f = frames(hex).get(0);
        assertThat(f.cls()).isEqualTo(10);
        assertThat(f.type()).isEqualTo(0x82);
        return TableDefinition.decode(f.payload());
    }

    static String encode(TableDefinition d) {
        ByteBuf b = Unpooled.buffer();
        d.encode(b);
        return Hex.of(b);
    }

    @Test
    void decodesAndReencodesTheFourCapturedDefinitions() throws Exception {
        TableDefinition be = definition(DEF_BE_SRC);
        assertThat(be.tableId()).isEqualTo(2);
        assertThat(be.name()).isEqualTo("be_src");
        assertThat(be.keyType()).isEqualTo(TableDefinition.KEY_IP);
        assertThat(be.keySize()).isEqualTo(4);
        assertThat(be.dataBits()).isEqualTo(1L | 1L << 2 | 1L << 10 | 1L << 19);
        assertThat(be.expireMs()).isEqualTo(600000);
        assertThat(be.periods()[10]).isEqualTo(10000);
        assertThat(encode(be)).isEqualTo(DEF_BE_SRC);

        TableDefinition str = definition(DEF_T_STR);
        assertThat(List.of(str.tableId(), str.name(), str.keyType(), str.keySize(), str.dataBits(), str.expireMs()))
                .containsExactly(3, "t_str", 6, 9, 1L, 3600000L);
        assertThat(encode(str)).isEqualTo(DEF_T_STR);
        TableDefinition tp = definition(DEF_TP);
        assertThat(List.of(tp.tableId(), tp.name(), tp.keyType(), tp.keySize(), tp.dataBits(), tp.expireMs()))
                .containsExactly(1, "/tp", 6, 17, 4L, 300000L);
        assertThat(encode(tp)).isEqualTo(DEF_TP);
        TableDefinition in = definition(DEF_T_INT);
        assertThat(List.of(in.tableId(), in.name(), in.keyType(), in.keySize(), in.dataBits(), in.expireMs()))
                .containsExactly(4, "t_int", 2, 4, 16L, 3600000L);
        assertThat(encode(in)).isEqualTo(DEF_T_INT);
    }

    /** Decodes one captured update with a fresh dictionary and checks it re-encodes to the same bytes. */
    private static TableUpdate roundTrip(String def, String hex) throws Exception {
        TableDefinition d = definition(def);
        PeerFrames.Frame f = frames(hex).get(0);
        TableUpdate u = UpdateCodec.decode(f.type(), f.payload(), d, new ServerKeyCache(), 0);
        ByteBuf b = Unpooled.buffer();
        UpdateCodec.encode(b, u, d, new ServerKeyCache());
        assertThat(Hex.of(b)).isEqualTo(hex);
        return u;
    }

    @Test
    void liveUpdatesOfEveryCapturedTable() throws Exception {
        TableUpdate ip = roundTrip(DEF_BE_SRC,
                "0a 80 16 00 00 00 01 7f 00 00 09 01 00 f7 da 9a c1 06 00 00 04 01 02 73 31");
        assertThat(ip.updateId()).isEqualTo(1);
        assertThat(ip.lifetimeMs()).isEqualTo(-1);
        assertThat(Hex.of(ip.key())).isEqualTo("7f 00 00 09");
        assertThat(ip.value(0).value()).isEqualTo(1);
        assertThat(ip.value(2).value()).isEqualTo(0);
        // never-used counter: (u32) now_ms - curr_tick(0), i.e. the sender's now_ms: f7 da 9a c1 06
        assertThat(ip.value(10).values()).containsExactly(252239511L, 0L, 0L);
        assertThat(ip.value(19).text()).isEqualTo("s1");

        TableUpdate str = roundTrip(DEF_T_STR, "0a 80 09 00 00 00 01 03 61 62 63 07");
        assertThat(new String(str.key(), StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(str.value(0).value()).isEqualTo(7);
        TableUpdate in = roundTrip(DEF_T_INT, "0a 80 0a 00 00 00 01 00 12 d6 87 fc 03");
        assertThat(Hex.of(in.key())).isEqualTo("00 12 d6 87");
        assertThat(in.value(4).value()).isEqualTo(300);
        TableUpdate tp = roundTrip(DEF_TP, "0a 80 0b 00 00 00 01 05 68 65 6c 6c 6f 03");
        assertThat(new String(tp.key(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(tp.value(2).value()).isEqualTo(3);
    }

    @Test
    void incrementalBatchCarriesOnlyTheFirstId() throws Exception {
        String hex = "0a 80 08 00 00 00 04 02 6b 31 01 0a 81 04 02 6b 32 02 0a 81 04 02 6b 33 03";
        TableDefinition d = definition(DEF_T_STR);
        ServerKeyCache c = new ServerKeyCache();
        long prev = 0;
        List<String> got = new ArrayList<>();
        ByteBuf out = Unpooled.buffer();
        for (PeerFrames.Frame f : frames(hex)) {
            TableUpdate u = UpdateCodec.decode(f.type(), f.payload(), d, c, prev);
            prev = u.updateId();
            got.add(u.updateId() + ":" + new String(u.key(), StandardCharsets.US_ASCII) + "=" + u.value(0).value());
            UpdateCodec.encode(out, u, d, new ServerKeyCache());
        }
        assertThat(got).containsExactly("4:k1=1", "5:k2=2", "6:k3=3");
        assertThat(Hex.of(out)).isEqualTo(hex);
    }

    @Test
    void capturedFullResyncStreamDecodes() throws Exception {
        String stream = "0a 82 0e 03 05 74 5f 73 74 72 06 09 01 f0 d9 dc 0c 0a 85 0d 00 00 00 01 00 36 a7 d3 03 61 62"
                + " 63 07 0a 86 09 00 36 ab 70 03 61 62 64 08 0a 86 09 00 36 ab 75 03 61 62 65 09 0a 86 08 00 36 dc"
                + " 47 02 6b 31 01 0a 86 08 00 36 dc 47 02 6b 32 02 0a 86 08 00 36 dc 47 02 6b 33 03 0a 86 08 00 36"
                + " dc 47 02 6b 34 04 0a 82 16 02 06 62 65 5f 73 72 63 04 04 f5 b1 ff 00 f0 ed a3 01 0a f0 e2 03 0a"
                + " 85 1a 00 00 00 01 00 08 df 14 7f 00 00 09 01 00 f3 e5 a3 c1 06 00 00 04 01 02 73 31 0a 82 0c 01"
                + " 03 2f 74 70 06 11 04 f0 af 91 00 0a 85 0f 00 00 00 01 00 04 4f 9c 05 68 65 6c 6c 6f 03 0a 82 0e"
                + " 04 05 74 5f 69 6e 74 02 04 10 f0 d9 dc 0c 0a 85 0e 00 00 00 01 00 36 a9 08 00 12 d6 87 fc 03 00"
                + " 01";
        TableDefinition def = null;
        long prev = 0;
        ServerKeyCache cache = new ServerKeyCache();
        List<String> seen = new ArrayList<>();
        for (PeerFrames.Frame f : frames(stream)) {
            if (f.cls() == 0) {
                seen.add("control " + Control.of(f.cls(), f.type()));
            } else if (f.type() == StickTableMessages.DEFINE) {
                def = TableDefinition.decode(f.payload());
                prev = 0;
            } else {
                TableUpdate u = UpdateCodec.decode(f.type(), f.payload(), def, cache, prev);
                prev = u.updateId();
                seen.add(def.name() + " #" + u.updateId() + " life " + u.lifetimeMs() + " " + u.values());
            }
        }
        assertThat(seen).containsExactly(
                "t_str #1 life 3581907 [0=[7]]", "t_str #2 life 3582832 [0=[8]]", "t_str #3 life 3582837 [0=[9]]",
                "t_str #4 life 3595335 [0=[1]]", "t_str #5 life 3595335 [0=[2]]", "t_str #6 life 3595335 [0=[3]]",
                "t_str #7 life 3595335 [0=[4]]",
                "be_src #1 life 581396 [0=[1], 2=[0], 10=[252258115, 0, 0], 19=s1]",
                "/tp #1 life 282524 [2=[3]]", "t_int #1 life 3582216 [4=[300]]", "control RESYNC_FINISHED");
    }

    @Test
    void serverKeyTravelsOnceThenAsItsCacheId() throws Exception {
        TableDefinition d = definition(DEF_BE_SRC);
        ServerKeyCache tx = new ServerKeyCache();
        ByteBuf out = Unpooled.buffer();
        for (int i = 9; i <= 10; i++) {
            UpdateCodec.encode(out, new TableUpdate(0x80, i - 8, -1, new byte[] {127, 0, 0, (byte) i}, List.of(
                    DataValue.counter(0, 1), DataValue.counter(2, 0), DataValue.freq(10, 5, 0, 0),
                    DataValue.serverKey(19, "s1"))), d, tx);
        }
        assertThat(Hex.of(out)).isEqualTo("0a 80 12 00 00 00 01 7f 00 00 09 01 00 05 00 00 04 01 02 73 31"
                + " 0a 80 0f 00 00 00 02 7f 00 00 0a 01 00 05 00 00 01 01");
        ServerKeyCache rx = new ServerKeyCache();
        List<PeerFrames.Frame> fs = frames(Hex.of(out));
        assertThat(UpdateCodec.decode(0x80, fs.get(0).payload(), d, rx, 0).value(19).text()).isEqualTo("s1");
        assertThat(UpdateCodec.decode(0x80, fs.get(1).payload(), d, rx, 1).value(19).text()).isEqualTo("s1");
    }

    @Test
    void ackAndSwitch() throws Exception {
        ByteBuf b = Unpooled.buffer();
        StickTableMessages.writeAck(b, 3, 7);
        assertThat(Hex.of(b)).isEqualTo("0a 84 05 03 00 00 00 07");
        PeerFrames.Frame f = frames("0a 84 05 03 00 00 00 07").get(0);
        assertThat(StickTableMessages.readAck(f.payload())).isEqualTo(new StickTableMessages.Ack(3, 7));
        assertThat(StickTableMessages.readSwitch(Hex.bytes("02"))).isEqualTo(2);
        assertThat(Hex.of(Control.RESYNC_PARTIAL.bytes())).isEqualTo("00 02");
        assertThat(Control.of(0, 4)).isEqualTo(Control.HEARTBEAT);
    }
}
