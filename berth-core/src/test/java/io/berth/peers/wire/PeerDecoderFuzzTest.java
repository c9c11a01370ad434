package io.berth.peers.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz targets for everything a peer can make Berth decode. Without {@code JAZZER_FUZZ=1} they run as
 * regression tests over the seeds in {@code src/test/resources/io/berth/peers/wire/PeerDecoderFuzzTestInputs/}
 * (real HAProxy captures and the malformed cases), which takes well under a second. The property: any input
 * either decodes or is refused with a {@link PeerProtocolException}; nothing else may escape, and whatever
 * decodes re-encodes to something that decodes to the same value.
 */
class PeerDecoderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void messageStream(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        PeerInbound inbound = new PeerInbound();
        try {
            PeerFrames.Frame f;
            while ((f = PeerFrames.next(in)) != null) {
                if (inbound.decode(f) instanceof PeerInbound.Definition d) {
                    ByteBuf out = Unpooled.buffer();
                    d.definition().encode(out);
                    PeerFrames.Frame again = PeerFrames.next(out);
                    assertThat(TableDefinition.decode(again.payload())).isEqualTo(d.definition());
                }
            }
        } catch (PeerProtocolException expected) {
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void handshakeLines(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            String line;
            int n = 0;
            while ((line = Handshake.line(in)) != null && n++ < 3) {
                int s = Handshake.checkProtocol(line);
                assertThat(s).isIn(200, 501, 502);
                assertThat(Handshake.checkRemote(line, x -> true)).isIn(200, 501);
            }
        } catch (PeerProtocolException expected) {
            assertThat(expected.getMessage()).startsWith("handshake line longer");
        }
    }
}
