package io.berth.proxy;

import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickRules;
import io.berth.persist.stick.StickTables;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;
import io.berth.sample.SampleContext;
import io.berth.server.Server;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Hooks the stick rules ({@code persist/stick}) into a stream: the match/store-request step before balancing and
 * the store step when the response arrives (HTTP) or the server connection is up (TCP). The {@link StickTables}
 * of a runtime are built on first use and kept per {@link Runtime} (identity), the previous runtime's tables
 * passed on so a reload keeps entries, until Runtime carries them itself. Event-loop threads; the map is
 * synchronized and read once per stream.
 */
public final class StickStep {
    private static final Map<Runtime, StickTables> BY_RUNTIME = new WeakHashMap<>();
    private static StickTables last;

    private StickStep() {
    }

    /** The stick tables of {@code runtime}; throws IllegalArgumentException if its stick rules do not compile. */
    public static StickTables tables(Runtime runtime) {
        synchronized (BY_RUNTIME) {
            StickTables t = BY_RUNTIME.get(runtime);
            if (t == null) {
                t = StickTables.build(runtime.config(), last);
                BY_RUNTIME.put(runtime, t);
                last = t;
            }
            return t;
        }
    }

    /** The rules of {@code be}, or null when it has none (then the stream skips both steps). */
    public static StickRules rules(Runtime runtime, RuntimeBackend be) {
        if (be.spec().stickRules().isEmpty()) {
            return null;
        }
        return tables(runtime).rules(be.name());
    }

    /**
     * The request step: returns the server the table designates, or {@code assigned} (a cookie's choice, kept
     * as HAProxy keeps SF_ASSIGNED), or null to balance. Pending stores go into {@code pending}.
     */
    public static Server request(StickRules rules, RuntimeBackend be, SampleContext ctx, Server assigned,
                                 StickRules.Pending pending) {
        if (rules == null) {
            return assigned;
        }
        Server stuck = rules.onRequest(ctx, be.servers(), assigned, false, pending, StickClock.now());
        return stuck != null ? stuck : assigned;
    }

    /** The store step with the server actually used. */
    public static void response(StickRules rules, SampleContext ctx, StickRules.Pending pending, Server used) {
        if (rules != null) {
            rules.onResponse(ctx, pending, used, StickClock.now());
        }
    }
}
