package io.berth.proxy;

import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.berth.server.Server;
import io.berth.server.TrafficCounters;

/**
 * Feeds the {@link TrafficCounters} of the frontend, backend and server a stream went through, at the points
 * where HAProxy counts: a session accepted, a server connection up, a stream ended (bytes both ways, the status
 * class, timers, errors by termination state). Stateless; called on the stream's event loop.
 */
public final class TrafficStep {
    private TrafficStep() {
    }

    /** A client connection was accepted on {@code fe} (its currentConns already counts it). */
    public static void accepted(RuntimeFrontend fe, long nowMs) {
        TrafficCounters c = fe.counters;
        c.noteConns(fe.currentConns.get());
        c.session(nowMs);
        c.connectionRate.add(nowMs);
    }

    /** An HTTP request head was accepted on {@code fe}. */
    public static void request(RuntimeFrontend fe, long nowMs) {
        fe.counters.requestRate.add(nowMs);
    }

    /** The stream was given to {@code be} (its currentConns already counts it). */
    public static void routed(RuntimeBackend be, boolean http, long nowMs) {
        TrafficCounters c = be.counters;
        if (http) {
            c.requests.increment();
        }
        c.noteConns(be.currentConns.get());
        c.session(nowMs);
    }

    /**
     * A server connection is up for the stream: {@code balanced} when the balancer chose the server (not a cookie
     * or stick table), {@code reused} when an idle connection was taken.
     */
    public static void connected(RuntimeBackend be, Server s, boolean http, boolean balanced, boolean reused,
                                 long nowMs) {
        TrafficCounters c = s.counters;
        if (http) {
            c.requests.increment();
        }
        c.noteConns(s.currentConns.get());
        c.session(nowMs);
        if (balanced) {
            c.loadBalanced.increment();
            be.counters.loadBalanced.increment();
        } else {
            c.persistent.increment();
            be.counters.persistent.increment();
        }
        (reused ? c.reuses : c.connects).increment();
        (reused ? be.counters.reuses : be.counters.connects).increment();
    }

    /** A rule denied the request: {@code dreq} on the frontend, and on the backend when it was reached. */
    public static void denied(RuntimeFrontend fe, RuntimeBackend be) {
        fe.counters.deniedRequests.increment();
        if (be != null) {
            be.counters.deniedRequests.increment();
        }
    }

    /** An {@code http-response deny} refused server {@code s}'s answer ({@code dresp}, server's too). */
    public static void deniedResponse(RuntimeFrontend fe, RuntimeBackend be, Server s) {
        fe.counters.deniedResponses.increment();
        be.counters.deniedResponses.increment();
        if (s != null) {
            s.counters.deniedResponses.increment();
        }
    }

    /**
     * The stream ended. {@code status} is the HTTP status sent (0 for none or TCP), counted by the proxies;
     * {@code serverStatus} the one the server sent (0 when none did), counted by the server, as HAProxy counts a
     * status an {@code http-response set-status} rewrote; {@code bytesIn/Out} as HAProxy counts them (HTX sizes in HTTP, raw in TCP),
     * {@code wireIn/Out} the client connection's raw HTTP/1 bytes (h1_bytes_in/out, 0 in TCP); timers in ms, -1 when not reached; {@code termination} the first two letters of the
     * log's termination state.
     */
    public static void ended(RuntimeFrontend fe, RuntimeBackend be, Server s, int status, int serverStatus,
                             long bytesIn, long bytesOut, long wireIn, long wireOut, long tw, long tc, long tr,
                             long tt, int retries, boolean redispatched, String termination) {
        add(fe.counters, bytesIn, bytesOut, status);
        fe.counters.wireIn.add(wireIn);
        fe.counters.wireOut.add(wireOut);
        if (be == null) {
            return;
        }
        add(be.counters, bytesIn, bytesOut, status);
        if (s != null) {
            s.counters.bytesIn.add(bytesIn);
            s.counters.bytesOut.add(bytesOut);
            if (serverStatus > 0) {
                s.counters.response(serverStatus);
            }
            for (TrafficCounters c : new TrafficCounters[]{be.counters, s.counters}) {
                c.timer(TrafficCounters.Timer.QUEUE, tw);
                c.timer(TrafficCounters.Timer.CONNECT, tc);
                c.timer(TrafficCounters.Timer.RESPONSE, tr);
                c.timer(TrafficCounters.Timer.TOTAL, tt);
            }
        }
        if (retries > 0) {
            be.counters.retries.add(retries);
            if (s != null) {
                s.counters.retries.add(retries);
            }
        }
        if (redispatched) {
            be.counters.redispatches.increment();
            if (s != null) {
                s.counters.redispatches.increment();
            }
        }
        errors(be.counters, termination);
        if (s != null) {
            errors(s.counters, termination);
        }
    }

    private static void add(TrafficCounters c, long in, long out, int status) {
        c.bytesIn.add(in);
        c.bytesOut.add(out);
        if (status > 0) {
            c.response(status);
        }
    }

    /** HAProxy's error counters by the termination state: connection errors, response errors, aborts. */
    private static void errors(TrafficCounters c, String termination) {
        if (termination == null || termination.length() < 2) {
            return;
        }
        char who = termination.charAt(0);
        char when = termination.charAt(1);
        if (who == 'S' && when == 'C') {
            c.connectionErrors.increment();
        } else if ((who == 'S' && when == 'H') || (who == 'P' && (when == 'H' || when == 'D'))) {
            c.responseErrors.increment();
        }
        if (who == 'C' || who == 'c') {
            c.clientAborts.increment();
        } else if ((who == 'S' || who == 's') && when == 'D') {
            c.serverAborts.increment();
        }
    }
}
