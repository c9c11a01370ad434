package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The stick-table class (0x0A) message types, and the two small ones: 0x83 switch (a table id) and 0x84 ack
 * (the table id as the other side announced it + the u32 last update id received). Stateless.
 */
public final class StickTableMessages {
    public static final int UPDATE = 0x80;
    public static final int UPDATE_INCR = 0x81;
    public static final int DEFINE = 0x82;
    public static final int SWITCH = 0x83;
    public static final int ACK = 0x84;
    public static final int UPDATE_TIMED = 0x85;
    public static final int UPDATE_TIMED_INCR = 0x86;

    /** A received ack. */
    public record Ack(int tableId, long updateId) {
    }

    private StickTableMessages() {
    }

    public static void writeAck(ByteBuf out, int tableId, long updateId) {
        ByteBuf p = Unpooled.buffer(9);
        Varint.write(p, tableId);
        p.writeInt((int) updateId);
        PeerFrames.write(out, PeerFrames.CLASS_STICKTABLE, ACK, p);
        p.release();
    }

    public static Ack readAck(byte[] payload) throws PeerProtocolException {
        WireReader r = new WireReader(payload);
        return new Ack(tableId(r), r.u32());
    }

    /** The table id of a 0x83 switch message. */
    public static int readSwitch(byte[] payload) throws PeerProtocolException {
        return tableId(new WireReader(payload));
    }

    private static int tableId(WireReader r) throws PeerProtocolException {
        long id = r.varint();
        if (id == 0 || id > Integer.MAX_VALUE) {
            throw new PeerProtocolException("table id " + Long.toUnsignedString(id) + " out of range");
        }
        return (int) id;
    }
}
