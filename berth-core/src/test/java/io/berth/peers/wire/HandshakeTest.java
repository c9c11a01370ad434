package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hello lines and the status codes HAProxy 2.6 answered to peerprobe.py (experiment e6). */
class HandshakeTest {
    @Test
    void helloIsTheCapturedBytes() {
        assertThat(Hex.of(Handshake.hello("hapA", "hapB", 24028))).isEqualTo(
                "48 41 50 72 6f 78 79 53 20 32 2e 31 0a 68 61 70 41 0a 68 61 70 42 20 32 34 30 32 38 20 31 0a");
    }

    /** Runs the three checks in HAProxy's order, as the acceptor does. */
    private static int status(String hello) throws Exception {
        ByteBuf in = Unpooled.copiedBuffer(hello.getBytes());
        int s = Handshake.checkProtocol(Handshake.line(in));
        if (s == 200) {
            s = Handshake.checkLocalName(Handshake.line(in), "hapA");
        }
        if (s == 200) {
            s = Handshake.checkRemote(Handshake.line(in), Set.of("hapA", "hapB")::contains);
        }
        return s;
    }

    @Test
    void statusCodesMatchHaproxyProbes() throws Exception {
        assertThat(status("HAProxyX 2.1\nhapA\nhapB 1 1\n")).isEqualTo(501);
        assertThat(status("HAProxyS 2.2\nhapA\nhapB 1 1\n")).isEqualTo(502);
        assertThat(status("HAProxyS 3.0\nhapA\nhapB 1 1\n")).isEqualTo(502);
        assertThat(status("HAProxyS 2.1\nwrongname\nhapB 1 1\n")).isEqualTo(503);
        assertThat(status("HAProxyS 2.1\nhapA\nnobody 1 1\n")).isEqualTo(504);
        assertThat(status("HAProxyS 2.1\nhapA\nhapB\n")).isEqualTo(501);
        assertThat(status("HAProxyS 2.1\r\nhapA\r\nhapB 1 1\r\n")).isEqualTo(200);
        assertThat(status("HAProxyS 2.0\nhapA\nhapB 1 1\n")).isEqualTo(200);
        assertThat(Handshake.remoteName("hapB 24028 1")).isEqualTo("hapB");
    }

    @Test
    void partialLinesWaitAndHugeLinesAreRefused() throws Exception {
        ByteBuf in = Unpooled.copiedBuffer("HAProxyS 2".getBytes());
        assertThat(Handshake.line(in)).isNull();
        assertThat(in.readerIndex()).isZero();
        assertThatThrownBy(() -> Handshake.line(Unpooled.copiedBuffer(new byte[300])))
                .isInstanceOf(PeerProtocolException.class).hasMessage("handshake line longer than 256 bytes");
        assertThat(Handshake.parseStatus("503")).isEqualTo(503);
        assertThat(Handshake.parseStatus("x")).isEqualTo(-1);
    }
}
