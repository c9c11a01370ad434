package io.berth.balance;

import io.berth.server.Server;

import java.util.function.Predicate;

/**
 * Chooses a server of one backend for one request. One instance per backend per runtime; called from every
 * event loop concurrently, so implementations read immutable snapshots rebuilt when the server group changes.
 */
public interface Balancer {
    /**
     * Picks a server for {@code request}.
     *
     * @param request what the algorithm may hash on
     * @param exclude servers this request already tried (redispatch); may be {@code s -> false}
     * @return a usable server (active ones first; backups only when no active one is usable, only the first
     *         backup unless {@code option allbackups}), or null when none is usable
     */
    Server pick(BalanceRequest request, Predicate<Server> exclude);
}
