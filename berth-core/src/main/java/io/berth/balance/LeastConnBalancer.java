package io.berth.balance;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;

/**
 * {@code balance leastconn}: HAProxy's weighted least connections (src/lb_fwlc.c). A server's key is 0 when idle,
 * else {@code (inflight + 1) * 4096 / eweight}; the lowest key wins. HAProxy's tree keeps servers with equal keys
 * in the order they were last repositioned, which gives round robin among equals; here a stamp taken when a
 * server is picked (or comes back up) plays that role. HAProxy also repositions a server when a connection ends;
 * Berth is not told about that, so only picks move a server to the back of its key group.
 *
 * <p>Threads: the usable-server snapshot is immutable; stamps are atomics. Two event loops picking at the same
 * instant may both choose the same server, as two HAProxy threads under its read lock can.
 */
final class LeastConnBalancer extends SnapshotBalancer<UsableServers> {
    private final boolean allBackups;
    private final AtomicLong clock;
    private final AtomicLongArray stamps;
    private boolean[] wasUsable;

    LeastConnBalancer(ServerGroup group, boolean allBackups) {
        super(group);
        this.allBackups = allBackups;
        int n = group.all().size();
        this.stamps = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            stamps.set(i, i); // initial tree order: declaration order
        }
        this.clock = new AtomicLong(n);
        this.wasUsable = new boolean[n];
        start();
    }

    @Override
    UsableServers build() {
        UsableServers u = UsableServers.of(group, ServerWeights.dynamic(), allBackups);
        boolean[] now = new boolean[u.all().size()];
        for (Server s : u.all()) {
            now[s.position()] = u.eweight(s) > 0;
            if (now[s.position()] && !wasUsable[s.position()]) {
                stamps.set(s.position(), clock.getAndIncrement()); // re-inserted last, as fwlc_queue_srv
            }
        }
        wasUsable = now;
        return u;
    }

    @Override
    public Server pick(BalanceRequest request, Predicate<Server> exclude) {
        UsableServers u = snapshot();
        if (u.active().isEmpty() && u.firstBackup() != null) {
            return u.firstBackup();
        }
        List<Server> candidates = u.servingGroup();
        Server best = null;
        long bestKey = 0;
        long bestStamp = 0;
        Server avoided = null;
        long avoidedKey = 0;
        long avoidedStamp = 0;
        for (Server s : candidates) {
            if (!s.hasFreeSlot()) {
                continue;
            }
            long inflight = s.currentConns.get();
            long key = inflight == 0 ? 0 : (inflight + 1) * 4096 / u.eweight(s);
            long stamp = stamps.get(s.position());
            if (exclude.test(s)) {
                if (avoided == null || key < avoidedKey || key == avoidedKey && stamp < avoidedStamp) {
                    avoided = s;
                    avoidedKey = key;
                    avoidedStamp = stamp;
                }
            } else if (best == null || key < bestKey || key == bestKey && stamp < bestStamp) {
                best = s;
                bestKey = key;
                bestStamp = stamp;
            }
        }
        Server chosen = best != null ? best : avoided;
        if (chosen != null) {
            stamps.set(chosen.position(), clock.getAndIncrement());
        }
        return chosen;
    }
}
