package io.berth.balance;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code balance first}: the usable server with the lowest id ({@code puid}) that still has a free
 * {@code maxconn} slot (src/lb_fas.c); weights are ignored. The id-sorted list is an immutable snapshot.
 * Returns null when every usable server is full (HAProxy then queues the request in the backend).
 */
final class FirstBalancer extends SnapshotBalancer<FirstBalancer.Snapshot> {
    record Snapshot(UsableServers usable, List<Server> byId) {
    }

    private final boolean allBackups;

    FirstBalancer(ServerGroup group, boolean allBackups) {
        super(group);
        this.allBackups = allBackups;
        start();
    }

    @Override
    Snapshot build() {
        UsableServers u = UsableServers.of(group, ServerWeights.dynamic(), allBackups);
        List<Server> byId = u.servingGroup().stream().sorted(Comparator.comparingInt(Server::id)).toList();
        return new Snapshot(u, byId);
    }

    @Override
    public Server pick(BalanceRequest request, Predicate<Server> exclude) {
        Snapshot snap = snapshot();
        if (snap.usable().active().isEmpty() && snap.usable().firstBackup() != null) {
            return snap.usable().firstBackup();
        }
        Server avoided = null;
        for (Server s : snap.byId()) {
            if (s.hasFreeSlot()) {
                if (!exclude.test(s)) {
                    return s;
                }
                avoided = s;
            }
        }
        return avoided;
    }
}
