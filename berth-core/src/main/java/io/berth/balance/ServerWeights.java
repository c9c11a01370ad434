package io.berth.balance;

import io.berth.server.Server;

import java.util.List;

/**
 * How a backend turns a server's user weight (0..256) into HAProxy's effective weight ({@code eweight}).
 * Dynamic algorithms (roundrobin, leastconn, first, random, consistent hashing) scale by 16
 * ({@code BE_WEIGHT_SCALE}); map-based ones (static-rr, map-based hashing) divide by the GCD of all
 * configured weights so the table stays small ({@code init_server_map} in src/lb_map.c), rounding up.
 * Immutable; any thread.
 *
 * <p>Example: weights 30/20/10 map-based → gcd 10 → eweights 3/2/1, a table of 6 slots.
 */
record ServerWeights(int wmult, int wdiv) {
    /** HAProxy's BE_WEIGHT_SCALE. */
    static final int SCALE = 16;

    static ServerWeights dynamic() {
        return new ServerWeights(1, SCALE);
    }

    /** GCD of the configured weights of {@code servers}, ignoring zero weights (1 when all are zero). */
    static ServerWeights mapBased(List<Server> servers) {
        int pgcd = 1;
        int i = 0;
        while (i < servers.size() && servers.get(i).spec().weight() == 0) {
            i++;
        }
        if (i < servers.size()) {
            pgcd = servers.get(i).spec().weight();
            while (pgcd > 1 && ++i < servers.size()) {
                int w = servers.get(i).spec().weight();
                while (w != 0) {
                    int t = pgcd % w;
                    pgcd = w;
                    w = t;
                }
            }
        }
        return new ServerWeights(pgcd, 1);
    }

    /** {@code eweight = ceil(uweight * wdiv / wmult)}. */
    int effective(int userWeight) {
        return (userWeight * wdiv + wmult - 1) / wmult;
    }

    /**
     * {@link #effective(int)} during a slowstart ramp of {@code sixteenths} (HAProxy's {@code w}, which takes
     * wdiv's place: ramps run only for the dynamic algorithms, whose wdiv is 16, so a server of weight 1 starts at
     * 1/16 of it); the plain figure at {@link Server#FULL_RAMP}.
     */
    int effective(int userWeight, int sixteenths) {
        int w = sixteenths == Server.FULL_RAMP || wdiv != SCALE ? wdiv : sixteenths;
        return (userWeight * w + wmult - 1) / wmult;
    }
}
