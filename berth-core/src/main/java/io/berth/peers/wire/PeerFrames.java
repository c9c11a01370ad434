package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;

/**
 * Cuts the byte stream after the handshake into messages: a class byte, a type byte and, for types ≥ 0x80, a
 * varint length and that many payload bytes (doc/peers-v2.0.txt §"messages"). Stateless; the caller keeps the
 * unread bytes.
 */
public final class PeerFrames {
    /** HAProxy's {@code PEER_MSG_ENC_LENGTH_MAXLEN}-bounded limit: longer messages get {@code 01 01}. */
    public static final int MAX_PAYLOAD = 16384;

    public static final int CLASS_CONTROL = 0;
    public static final int CLASS_ERROR = 1;
    public static final int CLASS_STICKTABLE = 10;
    public static final int CLASS_RESERVED = 255;

    /** One message: its class, type and payload (empty for types below 0x80). */
    public record Frame(int cls, int type, byte[] payload) {
    }

    private PeerFrames() {
    }

    /**
     * Takes the next whole message off {@code in}, advancing its reader index, or returns null (index untouched)
     * when the message has not fully arrived.
     *
     * @throws PeerProtocolException when the announced length exceeds {@link #MAX_PAYLOAD} (a size-limit error)
     *                               or its varint is longer than any u64
     */
    public static Frame next(ByteBuf in) throws PeerProtocolException {
        int at = in.readerIndex();
        if (in.writerIndex() - at < 2) {
            return null;
        }
        int cls = in.getUnsignedByte(at);
        int type = in.getUnsignedByte(at + 1);
        if (type < 0x80) {
            in.readerIndex(at + 2);
            return new Frame(cls, type, new byte[0]);
        }
        int[] n = new int[1];
        long len = Varint.peek(in, at + 2, n);
        if (n[0] == 0) {
            return null;
        }
        if (Long.compareUnsigned(len, MAX_PAYLOAD) > 0) {
            throw PeerProtocolException.sizeLimit(len);
        }
        int start = at + 2 + n[0];
        if (in.writerIndex() - start < len) {
            return null;
        }
        byte[] payload = new byte[(int) len];
        in.getBytes(start, payload);
        in.readerIndex(start + (int) len);
        return new Frame(cls, type, payload);
    }

    /** Writes a message with a payload (type ≥ 0x80): header, varint length, payload bytes. */
    public static void write(ByteBuf out, int cls, int type, ByteBuf payload) {
        out.writeByte(cls).writeByte(type);
        Varint.write(out, payload.readableBytes());
        out.writeBytes(payload);
    }

    /** Writes a two-byte message (control, error). */
    public static void write(ByteBuf out, int cls, int type) {
        out.writeByte(cls).writeByte(type);
    }
}
