package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Hex helpers for the golden tests: captures are written as {@code socat -x} prints them. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", "").replace("|", ""));
    }

    static String of(ByteBuf b) {
        return spaced(ByteBufUtil.hexDump(b));
    }

    static String of(byte[] b) {
        return spaced(ByteBufUtil.hexDump(b));
    }

    private static String spaced(String h) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < h.length(); i += 2) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(h, i, i + 2);
        }
        return sb.toString();
    }
}
