package io.berth.persist.stick;

import io.berth.model.StickRuleSpec;
import io.berth.model.StickTableSpec;
import io.berth.sample.Condition;
import io.berth.sample.SampleContext;
import io.berth.sample.TypedExpr;
import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The compiled {@code stick} rules of one backend and HAProxy 2.6's two steps around them (src/stream.c):
 * {@link #onRequest} is {@code process_sticking_rules()} (before balancing) and {@link #onResponse} is
 * {@code process_store_rules()} (when the response headers arrive). Pure: no Netty, no clock of its own.
 * Immutable and shared by all event loops; the per-stream state is a {@link Pending} owned by one stream.
 */
public final class StickRules {
    /** HAProxy keeps at most 8 pending stores per stream ({@code s->store[8]}). */
    static final int MAX_STORES = 8;

    /** One compiled rule: what to fetch, when, and into which table. */
    public record Rule(StickRuleSpec.Kind kind, TypedExpr expr, Condition condition, StickTable table) {
    }

    private final List<Rule> requestRules;
    private final List<Rule> responseRules;
    private final boolean persist;

    /**
     * @param rules   the backend's rules in declaration order ({@code store-response} ones are applied at response
     *                time, the others at request time)
     * @param persist {@code option persist}: a stored server that is DOWN is still used
     */
    public StickRules(List<Rule> rules, boolean persist) {
        this.requestRules = rules.stream().filter(r -> r.kind() != StickRuleSpec.Kind.STORE_RESPONSE).toList();
        this.responseRules = rules.stream().filter(r -> r.kind() == StickRuleSpec.Kind.STORE_RESPONSE).toList();
        this.persist = persist;
    }

    /** A stream's stores waiting for the response; created per request (HTTP) or connection (TCP). */
    public static final class Pending {
        final StickTable[] tables = new StickTable[MAX_STORES];
        final int[][] keys = new int[MAX_STORES][];
        /** When each store was reserved: HAProxy's new entry takes its expiry then ({@code stksess_new}). */
        final int[] reservedAt = new int[MAX_STORES];
        int count;

        /** Number of stores waiting. */
        public int count() {
            return count;
        }

        private boolean has(StickTable t, int from) {
            for (int i = from; i < count; i++) {
                if (tables[i] == t) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The match and store-request step, before balancing. Rules run in order; a store rule is skipped when an
     * earlier one already stores into the same table; a rule whose condition fails or whose fetch yields nothing
     * (or a value not convertible to the table's key type) is skipped. On a match hit the entry's expiry is
     * refreshed and, unless the stream is already assigned, its server (by {@code server_key} name first, then
     * {@code server_id}) is chosen if it is not stopped, or even then with {@code option persist} /
     * {@code forcePersist}. A store first makes room in the table (HAProxy allocates then), which may evict the
     * oldest entries, and is skipped when a {@code nopurge} table is full.
     *
     * @param assigned the server chosen by an earlier step (cookie), or null
     * @return the server the stick table designates (null: none, or {@code assigned} was set)
     */
    public Server onRequest(SampleContext ctx, ServerGroup servers, Server assigned, boolean forcePersist,
                            Pending pending, int now) {
        Server target = null;
        boolean isAssigned = assigned != null;
        for (Rule r : requestRules) {
            if (r.kind().stores() && pending.has(r.table(), 0)) {
                continue;
            }
            if (!r.condition().test(ctx)) {
                continue;
            }
            int[] key = key(r, ctx);
            if (key == null) {
                continue;
            }
            if (r.kind().matches()) {
                long hit = r.table().lookupServer(key, now);
                if (hit != StickTable.ABSENT && !isAssigned) {
                    Server s = find(servers, hit);
                    if (s != null && (s.state().isRunning() || persist || forcePersist)) {
                        target = s;
                        isAssigned = true;
                    }
                }
            }
            if (r.kind().stores() && pending.count < MAX_STORES && r.table().reserve(key, now)) {
                pending.tables[pending.count] = r.table();
                pending.reservedAt[pending.count] = now;
                pending.keys[pending.count++] = key;
            }
        }
        return target;
    }

    /**
     * The store-response step and the commit of every pending store, when the response arrives: each entry is
     * created or updated with the server actually used ({@code server_id} = its id, {@code server_key} = its
     * name or {@code ip:port}) and its expiry refreshed. Nothing is stored when no server was used or when it is
     * {@code non-stick}.
     */
    public void onResponse(SampleContext ctx, Pending pending, Server used, int now) {
        int nbreq = pending.count;
        for (Rule r : responseRules) {
            if (pending.has(r.table(), nbreq)) {
                continue;
            }
            if (!r.condition().test(ctx)) {
                continue;
            }
            int[] key = key(r, ctx);
            if (key != null && pending.count < MAX_STORES && r.table().reserve(key, now)) {
                pending.tables[pending.count] = r.table();
                pending.reservedAt[pending.count] = now;
                pending.keys[pending.count++] = key;
            }
        }
        // a non-stick server is never stored (HAProxy frees the pending entries: SRV_F_NON_STICK)
        if (used != null && !used.spec().nonStick()) {
            for (int i = 0; i < pending.count; i++) {
                StickTable t = pending.tables[i];
                String k = t.spec().serverKey() == StickTableSpec.ServerKeyType.ADDR ? address(used) : used.name();
                t.storeServer(pending.keys[i], pending.reservedAt[i], now, used.id(), ServerKeys.intern(k));
            }
        }
        pending.count = 0;
    }

    public boolean isEmpty() {
        return requestRules.isEmpty() && responseRules.isEmpty();
    }

    private static int[] key(Rule r, SampleContext ctx) {
        StickTableSpec spec = r.table().spec();
        return StickKeys.encode(r.expr().sample(ctx), spec.type(), spec.keySize());
    }

    /** {@code sticking_rule_find_target()}: the server named by {@code server_key}, else the one with the id. */
    private static Server find(ServerGroup servers, long hit) {
        String name = ServerKeys.name((int) (hit >>> 32));
        if (name != null) {
            Server s = servers.byName(name);
            if (s != null) {
                return s;
            }
        }
        return servers.byId((int) hit);
    }

    private static String address(Server s) {
        InetSocketAddress a = s.address();
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return host + ":" + a.getPort();
    }
}
