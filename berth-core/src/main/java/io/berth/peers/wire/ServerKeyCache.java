package io.berth.peers.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * The per-connection dictionary cache of {@code server_key} values (src/peers.c {@code struct dcache}): 128
 * slots each way. Sending, a value not in the cache takes the next slot round-robin and travels with its text;
 * one already cached travels as its slot id alone. Receiving mirrors that. Created for each connection, so it
 * is reset on reconnect; touched only by that connection's event loop.
 */
public final class ServerKeyCache {
    public static final int SLOTS = 128;

    private final String[] tx = new String[SLOTS];
    private final Map<String, Integer> txIds = new HashMap<>();
    private int txNext;
    private final String[] rx = new String[SLOTS];

    /**
     * The wire id (1..128) for sending {@code text}, negated when the text must travel with it (first use of
     * that slot for this value).
     */
    public int send(String text) {
        Integer slot = txIds.get(text);
        if (slot != null) {
            return slot + 1;
        }
        int s = txNext;
        txNext = (txNext + 1) & (SLOTS - 1);
        if (tx[s] != null) {
            txIds.remove(tx[s]);
        }
        tx[s] = text;
        txIds.put(text, s);
        return -(s + 1);
    }

    /** Records a received {@code id} → {@code text}. */
    public void learn(int id, String text) {
        rx[id - 1] = text;
    }

    /** The text of a received cached {@code id}, or null when the other side never sent it. */
    public String lookup(int id) {
        return rx[id - 1];
    }
}
