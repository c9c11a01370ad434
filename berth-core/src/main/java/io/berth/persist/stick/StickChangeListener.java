package io.berth.persist.stick;

/**
 * Told after a local change of a {@link StickTable} entry: a {@code stick store} / {@code stick on} store, a
 * {@code stick match} hit, a tracked-counter update or a {@code set table} (HAProxy's {@code
 * stktable_touch_local}, which is what schedules a peers update). Not told of entries learned from peers
 * ({@link StickTable#learn}), of reads, removals, clears or expiry: HAProxy does not replicate those.
 *
 * <p>Called on the thread that made the change (an event loop, the stats socket), after the segment's lock was
 * released; must be cheap and must not block (the peers subsystem queues the key, see
 * {@code io.berth.peers.TableSync#touched}). The key array belongs to the callee.
 */
@FunctionalInterface
public interface StickChangeListener {
    void changed(StickTable table, int[] key);
}
