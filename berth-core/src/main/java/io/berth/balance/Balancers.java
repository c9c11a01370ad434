package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.ProxyOptionsSpec;
import io.berth.server.ServerGroup;

/**
 * Builds the {@link Balancer} a backend's {@code balance}/{@code hash-type} asks for. Called by the runtime
 * builder once per backend per runtime; the balancer subscribes to the group's changes.
 */
public final class Balancers {
    private Balancers() {
    }

    /**
     * @param spec    the backend's balance settings; null means roundrobin
     * @param options for {@code option allbackups}; null means defaults
     * @param servers the live servers; the balancer subscribes to their changes
     * @throws IllegalArgumentException for {@code random(N)} with N not a positive integer
     */
    public static Balancer create(BalanceSpec spec, ProxyOptionsSpec options, ServerGroup servers) {
        BalanceSpec b = spec == null ? BalanceSpec.DEFAULT : spec;
        boolean allBackups = options != null && options.allBackups();
        return switch (b.algorithm()) {
            case ROUNDROBIN -> new RoundRobinBalancer(servers, allBackups);
            case STATIC_RR -> new StaticRoundRobinBalancer(servers, allBackups);
            case LEASTCONN -> new LeastConnBalancer(servers, allBackups);
            case FIRST -> new FirstBalancer(servers, allBackups);
            case RANDOM -> new RandomBalancer(servers, allBackups, draws(b.argument()));
            case SOURCE, URI, URL_PARAM, HDR -> new HashBalancer(b, servers, allBackups);
        };
    }

    private static int draws(String argument) {
        if (argument == null || argument.isBlank()) {
            return 2; // HAProxy's default: power of two choices
        }
        int n;
        try {
            n = Integer.parseInt(argument.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("random : invalid number of draws '" + argument + "'.");
        }
        if (n < 1) {
            throw new IllegalArgumentException("random : number of draws must be at least 1.");
        }
        return n;
    }
}
