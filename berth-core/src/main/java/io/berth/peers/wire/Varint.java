package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;

/**
 * The peers protocol's variable-length unsigned 64-bit integer (HAProxy's {@code intencode}/{@code intdecode},
 * doc/peers-v2.0.txt "encoded integer"). Values below 240 take one byte; above, the first byte carries the low 4
 * bits with the top nibble set ({@code v | 0xF0}), then 7 bits per byte with bit 7 meaning "more", each byte
 * after subtracting what the previous one already represents.
 *
 * <p>Worked example, 300: 300 ≥ 240, emit {@code 300|0xF0 = 0xFC}, v = (300−240)>>4 = 3 &lt; 128, emit 3:
 * {@code fc 03}. Decoding: i = 0xFC = 252; ≥ 240 so add 3&lt;&lt;4 = 48: 300. Stateless.
 */
public final class Varint {
    /** The longest encoding of a u64: 1 + ceil(60/7) bytes. */
    public static final int MAX_BYTES = 10;

    private Varint() {
    }

    public static void write(ByteBuf out, long v) {
        if (Long.compareUnsigned(v, 240) < 0) {
            out.writeByte((int) v);
            return;
        }
        out.writeByte((int) (v | 0xF0));
        v = (v - 240) >>> 4;
        while (Long.compareUnsigned(v, 128) >= 0) {
            out.writeByte((int) (v | 0x80));
            v = (v - 128) >>> 7;
        }
        out.writeByte((int) v);
    }

    /** Bytes {@link #write} emits for {@code v}. */
    public static int size(long v) {
        if (Long.compareUnsigned(v, 240) < 0) {
            return 1;
        }
        int n = 2;
        v = (v - 240) >>> 4;
        while (Long.compareUnsigned(v, 128) >= 0) {
            v = (v - 128) >>> 7;
            n++;
        }
        return n;
    }

    /**
     * Decodes one varint at {@code r}'s position.
     *
     * @throws PeerProtocolException when the input ends inside the varint or it runs past {@link #MAX_BYTES}
     */
    public static long read(WireReader r) throws PeerProtocolException {
        long i = r.u8();
        if (i < 240) {
            return i;
        }
        int shift = 4;
        int b;
        int n = 1;
        do {
            if (n++ == MAX_BYTES) {
                throw new PeerProtocolException("varint longer than " + MAX_BYTES + " bytes");
            }
            b = r.u8();
            i += (long) b << shift;
            shift += 7;
        } while (b >= 128);
        return i;
    }

    /**
     * Decodes a varint from {@code in} at {@code at} without moving its indexes (framing, where a message may
     * still be arriving). Sets {@code length[0]} to the encoded length, or to 0 when the readable bytes end
     * inside the varint (the value returned is then meaningless).
     */
    static long peek(ByteBuf in, int at, int[] length) throws PeerProtocolException {
        int end = in.writerIndex();
        length[0] = 0;
        if (at >= end) {
            return 0;
        }
        long i = in.getUnsignedByte(at);
        int n = 1;
        if (i >= 240) {
            int shift = 4;
            int b;
            do {
                if (n == MAX_BYTES) {
                    throw new PeerProtocolException("varint longer than " + MAX_BYTES + " bytes");
                }
                if (at + n >= end) {
                    return 0;
                }
                b = in.getUnsignedByte(at + n++);
                i += (long) b << shift;
                shift += 7;
            } while (b >= 128);
        }
        length[0] = n;
        return i;
    }
}
