package io.berth.proxy;

import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickCounters;
import io.berth.persist.stick.StickRules;
import io.berth.persist.stick.StickTables;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;
import io.berth.sample.SampleContext;
import io.berth.server.Server;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hooks stick tables ({@code persist/stick}) into a stream: the match/store-request step before balancing, the
 * store step when the response arrives (HTTP) or the server connection is up (TCP), the tracked counters of a
 * stream ({@code track-sc*}: created with the request, updated with its status and bytes, released at its end),
 * and the periodic expiry task. The tables live in {@link Runtime#stickTables()}. Event-loop threads; stateless.
 */
public final class StickStep {
    /** How often the expiry task runs (HAProxy wakes its table task at the next expiry; 100 ms is close enough). */
    static final long EXPIRY_PERIOD_MS = 100;
    /**
     * Entries one slice of the expiry task visits, all segments of a table together: a median of 0.04 ms for a
     * 1m table (StickTableBenchmark's main), so a loop's requests never wait for a long sweep.
     */
    static final int EXPIRY_SLICE = 1024;

    private StickStep() {
    }

    /** The stick tables of {@code runtime}. */
    public static StickTables tables(Runtime runtime) {
        return runtime.stickTables();
    }

    /** The rules of {@code be}, or null when it has none (then the stream skips both steps). */
    public static StickRules rules(Runtime runtime, RuntimeBackend be) {
        if (be.spec().stickRules().isEmpty()) {
            return null;
        }
        return runtime.stickTables().rules(be.name());
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

    /**
     * The tracked counters of a new stream, or null when the runtime has no stick table (then the
     * {@code sc_*}/{@code src_*} fetches fail, as they would find nothing).
     *
     * @param connection the counters tracked by the stream's connection, or null
     */
    public static StickCounters counters(Runtime runtime, StickCounters connection) {
        StickTables t = runtime.stickTables();
        return t == null || t.tables().isEmpty() ? null : new StickCounters(t, connection);
    }

    /** The response status is known (from the server): 4xx / 5xx counters of the tracked entries. */
    public static void status(StickCounters c, int status) {
        if (c != null) {
            c.httpStatus(status, StickClock.now());
        }
    }

    /** A {@code deny} rule answered: an HTTP error for the tracked entries. */
    public static void denied(StickCounters c) {
        if (c != null) {
            c.httpDenied(StickClock.now());
        }
    }

    /** The stream ends: its bytes each way are counted, then its tracked entries released (conn_cur −1). */
    public static void end(StickCounters c, long bytesIn, long bytesOut) {
        if (c != null) {
            int now = StickClock.now();
            c.bytes(bytesIn, bytesOut, now);
            c.release(now);
        }
    }

    /**
     * Starts the background half of expiry on {@code loop}: every {@value #EXPIRY_PERIOD_MS} ms, one slice of
     * at most {@value #EXPIRY_SLICE} entries of every table of the current runtime; when a
     * slice was full the next one is queued behind the loop's other tasks, so requests on that loop never wait
     * longer than one slice. Tables dropped by a reload stop being swept with their runtime.
     *
     * @param current the runtime being served now (read at each run)
     * @return the task, to cancel at shutdown
     */
    public static ScheduledFuture<?> startExpiry(EventExecutor loop, Supplier<Runtime> current) {
        return loop.scheduleWithFixedDelay(() -> sweep(loop, current), EXPIRY_PERIOD_MS, EXPIRY_PERIOD_MS,
                TimeUnit.MILLISECONDS);
    }

    private static void sweep(EventExecutor loop, Supplier<Runtime> current) {
        Runtime r = current.get();
        StickTables t = r == null ? null : r.stickTables();
        if (t == null) {
            return;
        }
        if (t.expireSlice(StickClock.now(), EXPIRY_SLICE)) {
            loop.execute(() -> sweep(loop, current));
        }
    }
}
