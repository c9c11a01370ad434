package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.ProxyOptionsSpec;
import io.berth.server.ServerGroup;

/** Builds the {@link Balancer} a backend's {@code balance}/{@code hash-type} asks for. */
public final class Balancers {
    private Balancers() {
    }

    /**
     * @param spec    the backend's balance settings
     * @param options for {@code option allbackups}
     * @param servers the live servers; the balancer subscribes to their changes
     */
    public static Balancer create(BalanceSpec spec, ProxyOptionsSpec options, ServerGroup servers) {
        throw new UnsupportedOperationException("balance: being written");
    }
}
