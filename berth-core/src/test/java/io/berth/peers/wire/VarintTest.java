package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Varints against the values checked on HAProxy 2.6 (reference §6.3). */
class VarintTest {
    @ParameterizedTest
    @CsvSource({
        "0, 00", "239, ef", "240, f0 00", "300, fc 03", "2287, ff 7f", "2288, f0 80 00", "10000, f0 e2 03",
        "300000, f0 af 91 00", "600000, f0 ed a3 01", "3600000, f0 d9 dc 0c", "525317, f5 b1 ff 00",
        "4294967295, ff f0 fe fe 7e",
    })
    void encodesAndDecodesHaproxyValues(long v, String hex) throws Exception {
        ByteBuf b = Unpooled.buffer();
        Varint.write(b, v);
        assertThat(Hex.of(b)).isEqualTo(hex);
        assertThat(Varint.size(v)).isEqualTo(b.readableBytes());
        WireReader r = new WireReader(Hex.bytes(hex));
        assertThat(r.varint()).isEqualTo(v);
        assertThat(r.remaining()).isZero();
    }

    @Test
    void roundTripsRandomU64() throws Exception {
        Random rnd = new Random(7);
        for (int i = 0; i < 20000; i++) {
            long v = rnd.nextLong() >>> rnd.nextInt(64);
            ByteBuf b = Unpooled.buffer();
            Varint.write(b, v);
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            assertThat(a.length).isLessThanOrEqualTo(Varint.MAX_BYTES);
            assertThat(new WireReader(a).varint()).isEqualTo(v);
        }
    }

    @Test
    void refusesTruncatedAndOverlongVarints() {
        assertThatThrownBy(() -> new WireReader(Hex.bytes("f0 80")).varint())
                .isInstanceOf(PeerProtocolException.class).hasMessage("message truncated at byte 2");
        assertThatThrownBy(() -> new WireReader(Hex.bytes("ff ff ff ff ff ff ff ff ff ff ff 01")).varint())
                .isInstanceOf(PeerProtocolException.class).hasMessage("varint longer than 10 bytes");
    }
}
