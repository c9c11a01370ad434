package io.berth.runtime;

import io.berth.server.Server;

/**
 * Carries server state from the runtime being replaced to the new one, by backend and server name, as HAProxy's
 * {@code server-state-file} + {@code load-server-state-from-file} carry it across a reload: administrative state
 * set at run time (MAINT, DRAIN from the runtime API), a weight changed at run time, and the health verdict
 * (DOWN, NOLB). What the new configuration changed wins: a server whose {@code disabled} flag or configured weight
 * changed starts from the new configuration. Runs on the reloading thread, before the runtime is published.
 */
final class ServerStateCarry {
    private ServerStateCarry() {
    }

    static void carry(Runtime previous, Runtime next) {
        for (RuntimeBackend backend : next.backends()) {
            RuntimeBackend before = previous.backend(backend.name());
            if (before == null) {
                continue;
            }
            for (Server server : backend.servers().all()) {
                Server old = before.servers().byName(server.name());
                if (old != null) {
                    carry(old, server);
                }
            }
        }
    }

    private static void carry(Server old, Server server) {
        if (old.spec().disabled() == server.spec().disabled() && old.isAdminMaint() != old.spec().disabled()) {
            server.setAdminMaint(old.isAdminMaint());
        }
        if (old.isAdminDrain()) {
            server.setAdminDrain(true);
        }
        if (old.spec().weight() == server.spec().weight() && old.weight() != old.initialWeight()) {
            server.setWeight(old.weight());
        }
        if (old.isHealthDown()) {
            server.setHealthDown(true);
        }
        if (old.isHealthStopping()) {
            server.setHealthStopping(true);
        }
    }
}
