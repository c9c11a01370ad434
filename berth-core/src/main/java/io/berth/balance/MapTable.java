package io.berth.balance;

import io.berth.server.Server;

import java.util.List;

/**
 * HAProxy's server map for map-based algorithms ({@code static-rr}, {@code hash-type map-based}): a table of
 * {@code tot_weight} slots where each usable server of the serving group appears eweight times, spread out
 * smoothly ({@code recalc_server_map} in src/lb_map.c). Immutable; rebuilt on server changes, read by every thread.
 *
 * <p>The spreading: every round each candidate adds its eweight to its score; {@code v = (score + tot) / tot};
 * the first server with the largest v wins the slot and pays {@code tot}. Worked example, weights a=3 b=2 c=1
 * (tot 6): slots {@code a a b a b c}, which is exactly HAProxy's static-rr sequence.
 */
final class MapTable {
    private final Server[] slots;

    private MapTable(Server[] slots) {
        this.slots = slots;
    }

    static MapTable build(UsableServers usable) {
        int tot = usable.totalWeight();
        if (tot == 0) {
            return new MapTable(new Server[0]);
        }
        // As HAProxy: with only the first backup serving, tot is fbck's weight but every usable backup competes.
        List<Server> candidates = usable.servingGroup();
        int[] score = new int[candidates.size()];
        Server[] slots = new Server[tot];
        for (int o = 0; o < tot; o++) {
            int max = 0;
            int best = -1;
            for (int i = 0; i < candidates.size(); i++) {
                if (tot == 1) {
                    best = i; // avoids HAProxy's divide overflow note: the first candidate takes the only slot
                    break;
                }
                score[i] += usable.eweight(candidates.get(i));
                int v = (score[i] + tot) / tot;
                if (best < 0 || v > max) {
                    max = v;
                    best = i;
                }
            }
            slots[o] = candidates.get(best);
            score[best] -= tot;
        }
        return new MapTable(slots);
    }

    int size() {
        return slots.length;
    }

    Server slot(int index) {
        return slots[index];
    }

    /** {@code map_get_server_hash}: the server at {@code hash % tot_weight} (hash read unsigned); null if empty. */
    Server byHash(int hash) {
        if (slots.length == 0) {
            return null;
        }
        return slots[(int) (Integer.toUnsignedLong(hash) % slots.length)];
    }
}
