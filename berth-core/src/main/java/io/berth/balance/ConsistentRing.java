package io.berth.balance;

import io.berth.balance.hash.FullHash;
import io.berth.server.Server;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * HAProxy's consistent-hashing tree ({@code hash-type consistent}, also used by {@code random}) as a sorted array:
 * each usable server of the serving group owns {@code eweight} (= weight × 16) points at
 * {@code full_hash(puid × 4096 + j)}, j = 0..eweight-1 (src/lb_chash.c). Immutable; rebuilt on server changes,
 * read by every thread without locking.
 *
 * <p>A hash goes to the nearest point, the predecessor winning ties ({@code chash_get_server_hash}); because
 * full_hash is a bijection and j &lt; 4096, no two points share a key, so the order is total. Removing a server
 * removes only its points: only its keys move.
 */
final class ConsistentRing {
    /** HAProxy's SRV_EWGHT_RANGE: puid stride between servers' point keys. */
    static final int POINT_STRIDE = 4096;

    /** Point keys as unsigned values flipped into signed order ({@code key ^ MIN_VALUE}), ascending. */
    private final int[] keys;
    private final Server[] owners;

    private ConsistentRing(int[] keys, Server[] owners) {
        this.keys = keys;
        this.owners = owners;
    }

    /** The ring of {@code usable}'s serving group (empty when only the first backup serves: it needs no ring). */
    static ConsistentRing build(UsableServers usable) {
        List<Server> group = usable.firstBackup() != null && usable.active().isEmpty()
                ? List.of() : usable.servingGroup();
        int total = 0;
        for (Server s : group) {
            total += usable.eweight(s);
        }
        long[] packed = new long[total];
        int n = 0;
        for (int i = 0; i < group.size(); i++) {
            Server s = group.get(i);
            int ew = usable.eweight(s);
            for (int j = 0; j < ew; j++) {
                int key = FullHash.of(s.id() * POINT_STRIDE + j);
                packed[n++] = ((long) (key ^ Integer.MIN_VALUE) << 32) | i;
            }
        }
        Arrays.sort(packed);
        int[] keys = new int[total];
        Server[] owners = new Server[total];
        for (int k = 0; k < total; k++) {
            keys[k] = (int) (packed[k] >> 32);
            owners[k] = group.get((int) packed[k]);
        }
        return new ConsistentRing(keys, owners);
    }

    int size() {
        return keys.length;
    }

    /** Unsigned key of point {@code i}, in an int. */
    int key(int i) {
        return keys[i] ^ Integer.MIN_VALUE;
    }

    Server owner(int i) {
        return owners[i];
    }

    /** Index of the first point whose key is {@code >= hash} (unsigned), or {@link #size()} when none. */
    int lowerBound(int hash) {
        int target = hash ^ Integer.MIN_VALUE;
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * {@code chash_get_server_hash}: the owner of the point nearest to {@code hash} (predecessor on ties, both
     * directions wrapping); if that server is excluded, the owners of the following points clockwise until one is
     * not (after going round, the first point's owner, as HAProxy's loop guard). Null when the ring is empty.
     */
    Server lookup(int hash, Predicate<Server> exclude) {
        int n = keys.length;
        if (n == 0) {
            return null;
        }
        int next = lowerBound(hash);
        if (next == n) {
            next = 0;
        }
        int prev = next == 0 ? n - 1 : next - 1;
        int dp = hash - key(prev);
        int dn = key(next) - hash;
        int at = Integer.compareUnsigned(dp, dn) <= 0 ? prev : next;
        Server srv = owners[at];
        int loop = 0;
        while (exclude.test(srv)) {
            at++;
            if (at == n) {
                at = 0;
                if (++loop > 1) {
                    break;
                }
            }
            srv = owners[at];
        }
        return srv;
    }
}
