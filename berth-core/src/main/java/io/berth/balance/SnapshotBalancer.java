package io.berth.balance;

import io.berth.server.ServerGroup;

/**
 * Base of the balancers whose lookup structure (map table, ring, usable list) is an immutable snapshot: built at
 * creation and again in the {@link ServerGroup#onChange} callback, published through a volatile field and read by
 * every event loop without locking. Rebuilds are serialized so a slow rebuild never overwrites a newer one.
 *
 * @param <S> the snapshot type
 */
abstract class SnapshotBalancer<S> implements Balancer {
    protected final ServerGroup group;
    private volatile S snapshot;

    SnapshotBalancer(ServerGroup group) {
        this.group = group;
    }

    /** Builds the first snapshot and subscribes to changes; call at the end of the subclass constructor. */
    final void start() {
        rebuild();
        group.onChange(this::rebuild);
    }

    private synchronized void rebuild() {
        snapshot = build();
    }

    /** Reads the servers' current state and weights; runs on the thread that changed a server. */
    abstract S build();

    final S snapshot() {
        return snapshot;
    }
}
