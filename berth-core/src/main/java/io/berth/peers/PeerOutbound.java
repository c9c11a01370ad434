package io.berth.peers;

import io.berth.peers.wire.DataValue;
import io.berth.peers.wire.ServerKeyCache;
import io.berth.peers.wire.StickTableMessages;
import io.berth.peers.wire.TableUpdate;
import io.berth.peers.wire.UpdateCodec;
import io.netty.buffer.ByteBuf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one connection has sent: the table last defined (HAProxy 2.6 re-sends the whole definition whenever the
 * table changes, never 0x83), the update ids per table, the last id the other side acknowledged, and the
 * {@code server_key} dictionary. One per connection; its event loop only.
 */
final class PeerOutbound {
    private final ServerKeyCache cache = new ServerKeyCache();
    private final Map<SyncedTable, long[]> ids = new HashMap<>();
    private SyncedTable defined;
    private boolean batchStarted;
    /** False for a peer that announced protocol 2.0, which has no timed updates: teach it with 0x80/0x81. */
    private boolean timed = true;

    void downgrade() {
        timed = false;
    }

    /** The next update starts a batch: it carries its id (0x80/0x85) rather than being incremental. */
    void startBatch() {
        batchStarted = false;
    }

    /**
     * Writes one update of {@code t}, preceded by its definition when the previous table was another.
     *
     * @param lifetimeMs remaining lifetime for a timed update (teaching), -1 for a live one
     */
    void update(ByteBuf out, SyncedTable t, byte[] key, List<DataValue> values, long lifetimeMs) {
        if (!timed) {
            lifetimeMs = -1;
        }
        boolean incremental = batchStarted && defined == t;
        if (defined != t) {
            t.definition().encode(out);
            defined = t;
        }
        long[] s = ids.computeIfAbsent(t, x -> new long[2]);
        s[0] = (s[0] + 1) & 0xffffffffL;
        int type = lifetimeMs < 0
                ? (incremental ? StickTableMessages.UPDATE_INCR : StickTableMessages.UPDATE)
                : (incremental ? StickTableMessages.UPDATE_TIMED_INCR : StickTableMessages.UPDATE_TIMED);
        UpdateCodec.encode(out, new TableUpdate(type, s[0], lifetimeMs, key, values), t.definition(), cache);
        batchStarted = true;
    }

    /** Writes a definition alone (teaching a table with no entries). */
    void define(ByteBuf out, SyncedTable t) {
        t.definition().encode(out);
        defined = t;
        batchStarted = false;
    }

    /** Records the other side's ack of our table id {@code tableId}. */
    void acked(int tableId, long updateId) {
        ids.forEach((t, s) -> {
            if (t.definition().tableId() == tableId) {
                s[1] = updateId;
            }
        });
    }

    /** Tables with pushed updates never acknowledged (lost if the connection is gone). */
    void forEachUnacked(java.util.function.Consumer<SyncedTable> action) {
        ids.forEach((t, s) -> {
            if (s[0] != s[1]) {
                action.accept(t);
            }
        });
    }
}
