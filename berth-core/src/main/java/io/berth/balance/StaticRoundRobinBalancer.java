package io.berth.balance;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.function.Predicate;

/**
 * {@code balance static-rr}: round robin over HAProxy's server map (src/lb_map.c). Weights a=3 b=2 c=1 give
 * {@code a a b a b c} repeated. Weights are divided by their GCD at start, as HAProxy; a changed weight is
 * rounded up to that unit. The map is an immutable snapshot; the position is a short synchronized counter.
 */
final class StaticRoundRobinBalancer extends SnapshotBalancer<MapTable> {
    private final ServerWeights weights;
    private final boolean allBackups;
    private final MapRoundRobin rr = new MapRoundRobin();

    StaticRoundRobinBalancer(ServerGroup group, boolean allBackups) {
        super(group);
        this.weights = ServerWeights.mapBased(group.all());
        this.allBackups = allBackups;
        start();
    }

    @Override
    MapTable build() {
        return MapTable.build(UsableServers.of(group, weights, allBackups));
    }

    @Override
    public Server pick(BalanceRequest request, Predicate<Server> exclude) {
        return rr.next(snapshot(), exclude);
    }
}
