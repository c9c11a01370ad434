package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile input: each malformed message is refused with its reason, as a {@link PeerProtocolException}. */
class MalformedInputTest {
    private static TableDefinition def(String hex) throws Exception {
        return MessagesGoldenTest.definition(hex);
    }

    @Test
    void framingWaitsForWholeMessagesAndRefusesHugeLengths() throws Exception {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("0a 80 f0"));
        assertThat(PeerFrames.next(in)).isNull();
        assertThat(in.readerIndex()).isZero();
        ByteBuf partial = Unpooled.wrappedBuffer(Hex.bytes("0a 80 05 01 02"));
        assertThat(PeerFrames.next(partial)).isNull();
        // 16385 = f1 80 03... encode it to be exact
        ByteBuf big = Unpooled.buffer().writeByte(0x0a).writeByte(0x80);
        Varint.write(big, 16385);
        assertThatThrownBy(() -> PeerFrames.next(big)).isInstanceOfSatisfying(PeerProtocolException.class,
                e -> assertThat(e.isSizeLimit()).isTrue())
                .hasMessage("message of 16385 bytes exceeds the 16384-byte limit");
        ByteBuf exact = Unpooled.buffer().writeByte(0x0a).writeByte(0x80);
        Varint.write(exact, 16384);
        exact.writeZero(16384);
        assertThat(PeerFrames.next(exact).payload()).hasSize(16384);
    }

    @Test
    void definitionsWithBadFieldsAreRefused() {
        assertThatThrownBy(() -> TableDefinition.decode(Hex.bytes("00 03 61 62 63 04 04 00 00")))
                .hasMessage("table id 0 out of range");
        assertThatThrownBy(() -> TableDefinition.decode(Hex.bytes("01 ef 61")))
                .hasMessage("table name length 239 exceeds the 1 bytes available");
        assertThatThrownBy(() -> TableDefinition.decode(Hex.bytes("01 01 61 03 04 00 00")))
                .hasMessage("table 'a': key type 3 with key size 4 is not a valid key");
        assertThatThrownBy(() -> TableDefinition.decode(Hex.bytes("01 01 61 04 08 00 00")))
                .hasMessage("table 'a': key type 4 with key size 8 is not a valid key");
        // bit 25 (glitch_cnt of newer versions) has no known width in 2.6
        ByteBuf b = Unpooled.buffer().writeBytes(Hex.bytes("01 01 61 04 04"));
        Varint.write(b, 1L << 25);
        byte[] p = new byte[b.readableBytes()];
        b.readBytes(p);
        assertThatThrownBy(() -> TableDefinition.decode(p)).hasMessage("table 'a': unknown data type 25");
        assertThatThrownBy(() -> TableDefinition.decode(Hex.bytes("01 01 61 04 04 01 00 0a 10")))
                .hasMessage("table 'a': parameter for data type 10 not announced");
        ByteBuf arr = Unpooled.buffer().writeBytes(Hex.bytes("01 01 61 04 04"));
        Varint.write(arr, 1L << 23);
        arr.writeByte(0);
        byte[] pa = new byte[arr.readableBytes()];
        arr.readBytes(pa);
        assertThatThrownBy(() -> TableDefinition.decode(pa)).hasMessage("table 'a': array data type 23 without size");
    }

    @Test
    void updatesWithBadKeysOrValuesAreRefused() throws Exception {
        TableDefinition str = def(MessagesGoldenTest.DEF_T_STR);
        ServerKeyCache c = new ServerKeyCache();
        // "t_str" is type string len 8: key size 9, so at most 8 bytes of key
        assertThatThrownBy(() -> UpdateCodec.decode(0x80, Hex.bytes("00 00 00 01 09 61 61 61 61 61 61 61 61 61 07"),
                str, c, 0)).hasMessage("string key length 9 exceeds the 8 bytes available");
        assertThatThrownBy(() -> UpdateCodec.decode(0x80, Hex.bytes("00 00 00"), str, c, 0))
                .hasMessage("u32 truncated: 4 bytes needed, 3 left");
        assertThatThrownBy(() -> UpdateCodec.decode(0x80, Hex.bytes("00 00 00 01 03 61 62 63 f0"), str, c, 0))
                .hasMessage("message truncated at byte 9");
        TableDefinition ip = def(MessagesGoldenTest.DEF_BE_SRC);
        assertThatThrownBy(() -> UpdateCodec.decode(0x80, Hex.bytes("00 00 00 01 7f 00"), ip, c, 0))
                .hasMessage("key truncated: 4 bytes needed, 2 left");
        assertThatThrownBy(() -> UpdateCodec.decode(0x80, Hex.bytes("00 00 00 01 7f 00 00 09 01 00 05 00 00 01 05"),
                ip, c, 0)).hasMessage("server_key cache id 5 never defined");
        assertThatThrownBy(() -> UpdateCodec.decode(0x80,
                Hex.bytes("00 00 00 01 7f 00 00 09 01 00 05 00 00 03 f0 10 00"), ip, c, 0))
                .hasMessage("server_key cache id 496 out of 1..128");
        assertThatThrownBy(() -> UpdateCodec.decode(0x80,
                Hex.bytes("00 00 00 01 7f 00 00 09 01 00 05 00 00 09 01"), ip, c, 0))
                .hasMessage("server_key length 9 exceeds the 1 bytes available");
    }
}
