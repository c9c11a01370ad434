package io.berth.balance;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * {@code balance random[(draws)]}: HAProxy's {@code get_server_rnd} (src/backend.c). Each draw is a random 32-bit
 * key looked up on the consistent-hash ring (so weights count through the number of points); with several draws
 * the server with fewer requests per weight wins ({@code curr.served * prev.eweight > prev.served *
 * curr.eweight} keeps the previous one). Default 2 draws ("power of two choices").
 *
 * <p>Returns null when the winner is full (HAProxy then queues in the backend). Lock-free: the ring is an immutable
 * snapshot and the random source is per thread.
 */
final class RandomBalancer extends SnapshotBalancer<RandomBalancer.Snapshot> {
    record Snapshot(UsableServers usable, ConsistentRing ring) {
    }

    private final boolean allBackups;
    private final int draws;

    RandomBalancer(ServerGroup group, boolean allBackups, int draws) {
        super(group);
        this.allBackups = allBackups;
        this.draws = draws;
        start();
    }

    @Override
    Snapshot build() {
        UsableServers u = UsableServers.of(group, ServerWeights.dynamic(), allBackups);
        return new Snapshot(u, ConsistentRing.build(u));
    }

    @Override
    public Server pick(BalanceRequest request, Predicate<Server> exclude) {
        Snapshot snap = snapshot();
        UsableServers u = snap.usable();
        if (u.totalWeight() == 0) {
            return null;
        }
        if (u.active().isEmpty() && u.firstBackup() != null) {
            return u.firstBackup();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Server curr = null;
        int left = draws;
        do {
            Server prev = curr;
            curr = snap.ring().lookup(random.nextInt(), exclude);
            if (curr == null) {
                break;
            }
            if (prev != null && prev != curr
                    && (long) curr.currentConns.get() * u.eweight(prev)
                    > (long) prev.currentConns.get() * u.eweight(curr)) {
                curr = prev;
            }
        } while (--left > 0);
        if (curr != null && !curr.hasFreeSlot()) {
            return null;
        }
        return curr;
    }
}
