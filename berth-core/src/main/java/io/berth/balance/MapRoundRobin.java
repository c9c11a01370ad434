package io.berth.balance;

import io.berth.server.Server;

import java.util.function.Predicate;

/**
 * Round robin over a {@link MapTable}: HAProxy's {@code map_get_server_rr} (src/lb_map.c), used by
 * {@code static-rr} and as the fallback of map-based hashing when the key is missing. The position survives
 * table rebuilds (clamped to the new size) as HAProxy's {@code rr_idx} does. Thread-safe: one short
 * synchronized section per pick, like HAProxy's lbprm lock.
 */
final class MapRoundRobin {
    private int rrIdx;

    /**
     * Walks the table from the current position; skips servers without a free maxconn slot and servers in
     * {@code exclude}. When only excluded servers have room, returns the last one seen (HAProxy's "avoided").
     * Returns null when the table is empty or every server is full.
     */
    synchronized Server next(MapTable table, Predicate<Server> exclude) {
        int tot = table.size();
        if (tot == 0) {
            return null;
        }
        if (rrIdx < 0 || rrIdx >= tot) {
            rrIdx = 0;
        }
        int newIdx = rrIdx;
        Server avoided = null;
        int avoidIdx = 0;
        do {
            Server srv = table.slot(newIdx++);
            if (srv.hasFreeSlot()) {
                avoided = srv;
                avoidIdx = newIdx;
                if (!exclude.test(srv)) {
                    rrIdx = newIdx;
                    return srv;
                }
            }
            if (newIdx == tot) {
                newIdx = 0;
            }
        } while (newIdx != rrIdx);
        if (avoided != null) {
            rrIdx = avoidIdx;
        }
        return avoided;
    }
}
