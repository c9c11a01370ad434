package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 0x82 stick-table definition message: sender's table id, wire name, key type and size, data bitfield,
 * expire, then a period for each frequency counter and an element count (and period) for each array, in
 * ascending type id (src/peers.c {@code peer_send_switchmsg}/{@code peer_treat_definemsg}). Immutable apart
 * from the arrays, which nobody writes after construction.
 *
 * @param tableId    the sender's id for the table (1..n), which its updates and the receiver's acks use
 * @param keyType    {@link #KEY_INTEGER}, {@link #KEY_IP}, {@link #KEY_IPV6}, {@link #KEY_STRING},
 *                   {@link #KEY_BINARY}
 * @param dataBits   bit {@code n} set when data type id {@code n} is stored
 * @param periods    by type id: the period in ms of frequency counters (0 for others), length 25
 * @param arraySizes by type id: element count of array types (0 for others), length 25
 */
public record TableDefinition(int tableId, String name, int keyType, int keySize, long dataBits, long expireMs,
                              long[] periods, int[] arraySizes) {
    public static final int KEY_INTEGER = 2;
    public static final int KEY_IP = 4;
    public static final int KEY_IPV6 = 5;
    public static final int KEY_STRING = 6;
    public static final int KEY_BINARY = 7;
    /** HAProxy's bound on array data types ({@code gpc(n)} etc.). */
    public static final int MAX_ARRAY = 100;

    public TableDefinition {
        periods = periods == null ? new long[DataKind.MAX_TYPE + 1] : periods;
        arraySizes = arraySizes == null ? new int[DataKind.MAX_TYPE + 1] : arraySizes;
    }

    public boolean stores(int type) {
        return (dataBits & 1L << type) != 0;
    }

    /** The message, framed ({@code 0a 82 <len> ...}). */
    public void encode(ByteBuf out) {
        ByteBuf p = Unpooled.buffer(64);
        Varint.write(p, tableId);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        Varint.write(p, n.length);
        p.writeBytes(n);
        Varint.write(p, keyType);
        Varint.write(p, keySize);
        Varint.write(p, dataBits);
        Varint.write(p, expireMs);
        for (int t = 0; t <= DataKind.MAX_TYPE; t++) {
            if (!stores(t)) {
                continue;
            }
            DataKind k = DataKind.of(t);
            if (k.isArray()) {
                Varint.write(p, t);
                Varint.write(p, arraySizes[t]);
                if (k.hasPeriod()) {
                    Varint.write(p, periods[t]);
                }
            } else if (k.hasPeriod()) {
                Varint.write(p, t);
                Varint.write(p, periods[t]);
            }
        }
        PeerFrames.write(out, PeerFrames.CLASS_STICKTABLE, StickTableMessages.DEFINE, p);
        p.release();
    }

    /**
     * Parses a 0x82 payload.
     *
     * @throws PeerProtocolException for a zero table id, an empty or oversized name, an unknown key type, a key
     *                               size that does not fit the type, an unknown data type, a parameter for a type
     *                               not announced, or an array without its element count
     */
    public static TableDefinition decode(byte[] payload) throws PeerProtocolException {
        WireReader r = new WireReader(payload);
        long id = r.varint();
        if (id == 0 || id > Integer.MAX_VALUE) {
            throw new PeerProtocolException("table id " + Long.toUnsignedString(id) + " out of range");
        }
        int nameLen = r.length("table name length", 255);
        if (nameLen == 0) {
            throw new PeerProtocolException("empty table name");
        }
        String name = new String(r.bytes(nameLen, "table name"), StandardCharsets.UTF_8);
        long keyType = r.varint();
        long keySize = r.varint();
        if (!keySizeFits(keyType, keySize)) {
            throw new PeerProtocolException("table '" + name + "': key type " + Long.toUnsignedString(keyType)
                    + " with key size " + Long.toUnsignedString(keySize) + " is not a valid key");
        }
        long bits = r.remaining() > 0 ? r.varint() : 0;
        if (Long.numberOfLeadingZeros(bits) < 63 - DataKind.MAX_TYPE) {
            throw new PeerProtocolException("table '" + name + "': unknown data type "
                    + (63 - Long.numberOfLeadingZeros(bits)));
        }
        long expire = r.remaining() > 0 ? r.varint() : 0;
        long[] periods = new long[DataKind.MAX_TYPE + 1];
        int[] sizes = new int[DataKind.MAX_TYPE + 1];
        while (r.remaining() > 0) {
            long t = r.varint();
            if (t > DataKind.MAX_TYPE || (bits & 1L << t) == 0) {
                throw new PeerProtocolException("table '" + name + "': parameter for data type "
                        + Long.toUnsignedString(t) + " not announced");
            }
            DataKind k = DataKind.of((int) t);
            if (k.isArray()) {
                long n = r.varint();
                if (n == 0 || n > MAX_ARRAY) {
                    throw new PeerProtocolException("table '" + name + "': array of " + Long.toUnsignedString(n)
                            + " elements for data type " + t);
                }
                sizes[(int) t] = (int) n;
            }
            if (k.hasPeriod()) {
                periods[(int) t] = r.varint();
            }
        }
        for (int t = 0; t <= DataKind.MAX_TYPE; t++) {
            if ((bits & 1L << t) != 0 && DataKind.of(t).isArray() && sizes[t] == 0) {
                throw new PeerProtocolException("table '" + name + "': array data type " + t + " without size");
            }
        }
        return new TableDefinition((int) id, name, (int) keyType, (int) keySize, bits, expire, periods, sizes);
    }

    private static boolean keySizeFits(long type, long size) {
        if (type == KEY_IP || type == KEY_INTEGER) {
            return size == 4;
        }
        if (type == KEY_IPV6) {
            return size == 16;
        }
        return (type == KEY_STRING || type == KEY_BINARY) && size >= 1 && size <= PeerFrames.MAX_PAYLOAD;
    }

    /** The same table under another id (what this side announces for a table the other side defined). */
    public TableDefinition withId(int id) {
        return new TableDefinition(id, name, keyType, keySize, dataBits, expireMs, periods, arraySizes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableDefinition d && d.tableId == tableId && d.name.equals(name) && d.keyType == keyType
                && d.keySize == keySize && d.dataBits == dataBits && d.expireMs == expireMs
                && Arrays.equals(d.periods, periods) && Arrays.equals(d.arraySizes, arraySizes);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + tableId;
    }

    @Override
    public String toString() {
        return "TableDefinition[" + tableId + " " + name + " key " + keyType + "/" + keySize + " data 0x"
                + Long.toHexString(dataBits) + " expire " + expireMs + "]";
    }
}
