package io.berth.balance;

import io.berth.server.Server;

import java.util.function.Predicate;

/**
 * Round robin over the points of a {@link ConsistentRing}: HAProxy's {@code chash_get_next_server}, the fallback
 * of consistent hashing when the key is missing (no header, no parameter). Each call moves to the next point
 * clockwise, so servers come in ring order, weighted by their number of points. The last point used is
 * remembered by key so the walk continues across ring rebuilds (a removed point hands over to its successor, as
 * HAProxy's {@code chash_skip_node}). Thread-safe through one short synchronized section per pick.
 */
final class RingRoundRobin {
    private static final long NONE = -1;
    private long lastKey = NONE;

    /**
     * Skips servers without a free maxconn slot and excluded ones; if only excluded servers have room the last
     * one met is returned. Null when the ring is empty or every server is full.
     */
    synchronized Server next(ConsistentRing ring, Predicate<Server> exclude) {
        int n = ring.size();
        if (n == 0) {
            return null;
        }
        int last = -1;
        if (lastKey != NONE) {
            last = ring.lowerBound((int) lastKey);
            if (last == n) {
                last = 0;
            }
        }
        int stop = last;
        int node = last;
        Server avoided = null;
        int avoidedNode = -1;
        do {
            node = node + 1 >= n ? 0 : node + 1;
            if (stop < 0) {
                stop = node;
            }
            lastKey = Integer.toUnsignedLong(ring.key(node));
            Server s = ring.owner(node);
            if (s.hasFreeSlot()) {
                if (!exclude.test(s)) {
                    return s;
                }
                avoided = s;
                avoidedNode = node;
            }
        } while (node != stop);
        lastKey = avoidedNode < 0 ? NONE : Integer.toUnsignedLong(ring.key(avoidedNode));
        return avoided;
    }
}
