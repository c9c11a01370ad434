package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.function.Predicate;

/**
 * {@code balance source | uri | url_param | hdr(NAME)} with {@code hash-type map-based} or {@code consistent}:
 * the key from {@link HashKey} goes to the server map ({@code hash % tot_weight}) or to the nearest point of the
 * consistent ring. When the request lacks the input (no header, no parameter, not an IP client) HAProxy falls
 * back to round robin: over the map for map-based, over the ring points for consistent (src/backend.c,
 * {@code assign_server}).
 *
 * <p>{@code exclude} (redispatch): the consistent ring walks clockwise past excluded servers; the map-based lookup
 * ignores it, as HAProxy's {@code map_get_server_hash} does (the same key always lands on the same slot).
 * When only the first backup serves (no {@code allbackups}), consistent hashing returns it directly.
 *
 * <p>Threads: table and ring are immutable snapshots rebuilt on server changes; the fallback round robin takes a
 * short synchronized section.
 */
final class HashBalancer extends SnapshotBalancer<HashBalancer.Snapshot> {
    record Snapshot(UsableServers usable, MapTable table, ConsistentRing ring) {
    }

    private final boolean consistent;
    private final boolean allBackups;
    private final ServerWeights weights;
    private final HashKey key;
    private final MapRoundRobin mapRr = new MapRoundRobin();
    private final RingRoundRobin ringRr = new RingRoundRobin();

    HashBalancer(BalanceSpec spec, ServerGroup group, boolean allBackups) {
        super(group);
        this.consistent = spec.hashType() == BalanceSpec.HashType.CONSISTENT;
        this.allBackups = allBackups;
        this.weights = consistent ? ServerWeights.dynamic() : ServerWeights.mapBased(group.all());
        this.key = new HashKey(spec);
        start();
    }

    @Override
    Snapshot build() {
        UsableServers u = UsableServers.of(group, weights, allBackups);
        return consistent ? new Snapshot(u, null, ConsistentRing.build(u)) : new Snapshot(u, MapTable.build(u), null);
    }

    @Override
    public Server pick(BalanceRequest request, Predicate<Server> exclude) {
        Snapshot snap = snapshot();
        UsableServers u = snap.usable();
        if (u.totalWeight() == 0) {
            return null;
        }
        long h = key.compute(request, u.totalUsed());
        boolean fbckOnly = u.active().isEmpty() && u.firstBackup() != null;
        if (consistent) {
            if (fbckOnly) {
                return u.firstBackup();
            }
            if (h != HashKey.MISSING) {
                return snap.ring().lookup((int) h, exclude);
            }
            return ringRr.next(snap.ring(), exclude);
        }
        if (h != HashKey.MISSING) {
            return snap.table().byHash((int) h);
        }
        return mapRr.next(snap.table(), exclude);
    }

    /** For tests and benchmarks: the server a given key maps to in the current snapshot (no request needed). */
    Server serverForKey(int hash) {
        Snapshot snap = snapshot();
        return consistent ? snap.ring().lookup(hash, s -> false) : snap.table().byHash(hash);
    }
}
