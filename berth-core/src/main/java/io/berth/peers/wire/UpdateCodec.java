package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes entry updates (0x80, 0x81, 0x85, 0x86) against the table definition in force: payload =
 * [u32 update id (0x80, 0x85)] [u32 lifetime ms (0x85, 0x86)] key values (src/peers.c
 * {@code peer_prepare_updatemsg}, {@code peer_treat_updatemsg}). Stateless; the {@link ServerKeyCache} passed in
 * carries the connection's dictionary.
 */
public final class UpdateCodec {
    private UpdateCodec() {
    }

    /**
     * Writes {@code u}, framed. Its values must cover exactly the definition's bits in ascending order (the
     * caller builds them from the same definition).
     */
    public static void encode(ByteBuf out, TableUpdate u, TableDefinition def, ServerKeyCache cache) {
        ByteBuf p = Unpooled.buffer(32 + u.key().length);
        int t = u.msgType();
        if (t == StickTableMessages.UPDATE || t == StickTableMessages.UPDATE_TIMED) {
            p.writeInt((int) u.updateId());
        }
        if (u.timed()) {
            p.writeInt((int) u.lifetimeMs());
        }
        if (def.keyType() == TableDefinition.KEY_STRING) {
            Varint.write(p, u.key().length);
        }
        p.writeBytes(u.key());
        for (DataValue v : u.values()) {
            if (DataKind.of(v.type()) == DataKind.DICT) {
                writeDict(p, v.text(), cache);
            } else {
                for (long x : v.values()) {
                    Varint.write(p, x);
                }
            }
        }
        PeerFrames.write(out, PeerFrames.CLASS_STICKTABLE, t, p);
        p.release();
    }

    /** {@code server_key}: varint 0 for no value, else varint length of (id [text length, text]). */
    private static void writeDict(ByteBuf p, String text, ServerKeyCache cache) {
        if (text == null) {
            Varint.write(p, 0);
            return;
        }
        int id = cache.send(text);
        if (id > 0) {
            Varint.write(p, Varint.size(id));
            Varint.write(p, id);
            return;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Varint.write(p, Varint.size(-id) + Varint.size(b.length) + b.length);
        Varint.write(p, -id);
        Varint.write(p, b.length);
        p.writeBytes(b);
    }

    /**
     * Parses an update payload.
     *
     * @param previousId the update id of the previous update of this table on this connection (for 0x81/0x86)
     * @throws PeerProtocolException for truncated ids, keys or values, a string key longer than the table
     *                               allows, a binary key of the wrong size, a bad dictionary reference
     */
    public static TableUpdate decode(int msgType, byte[] payload, TableDefinition def, ServerKeyCache cache,
                                     long previousId) throws PeerProtocolException {
        WireReader r = new WireReader(payload);
        long id = msgType == StickTableMessages.UPDATE || msgType == StickTableMessages.UPDATE_TIMED
                ? r.u32() : (previousId + 1) & 0xffffffffL;
        long life = msgType == StickTableMessages.UPDATE_TIMED || msgType == StickTableMessages.UPDATE_TIMED_INCR
                ? r.u32() : -1;
        byte[] key = switch (def.keyType()) {
            case TableDefinition.KEY_STRING -> {
                int n = r.length("string key length", def.keySize() - 1);
                yield r.bytes(n, "string key");
            }
            case TableDefinition.KEY_IP, TableDefinition.KEY_INTEGER -> r.bytes(4, "key");
            case TableDefinition.KEY_IPV6 -> r.bytes(16, "ipv6 key");
            default -> r.bytes(def.keySize(), "binary key");
        };
        List<DataValue> values = new ArrayList<>();
        for (int t = 0; t <= DataKind.MAX_TYPE; t++) {
            if (!def.stores(t)) {
                continue;
            }
            DataKind k = DataKind.of(t);
            switch (k) {
                case COUNTER -> values.add(DataValue.counter(t, r.varint()));
                case FREQ -> values.add(DataValue.freq(t, r.varint(), r.varint(), r.varint()));
                case DICT -> values.add(DataValue.serverKey(t, readDict(r, cache)));
                case ARRAY_COUNTER, ARRAY_FREQ -> {
                    int n = def.arraySizes()[t] * (k == DataKind.ARRAY_FREQ ? 3 : 1);
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = r.varint();
                    }
                    values.add(new DataValue(t, a, null));
                }
            }
        }
        return new TableUpdate(msgType, id, life, key, values);
    }

    private static String readDict(WireReader r, ServerKeyCache cache) throws PeerProtocolException {
        int len = r.length("server_key length", Integer.MAX_VALUE);
        if (len == 0) {
            return null;
        }
        WireReader d = r.slice(len, "server_key");
        long id = d.varint();
        if (id < 1 || id > ServerKeyCache.SLOTS) {
            throw new PeerProtocolException("server_key cache id " + Long.toUnsignedString(id) + " out of 1.."
                    + ServerKeyCache.SLOTS);
        }
        if (d.remaining() == 0) {
            String s = cache.lookup((int) id);
            if (s == null) {
                throw new PeerProtocolException("server_key cache id " + id + " never defined");
            }
            return s;
        }
        int n = d.length("server_key text length", Integer.MAX_VALUE);
        String s = new String(d.bytes(n, "server_key text"), StandardCharsets.UTF_8);
        cache.learn((int) id, s);
        return s;
    }
}
