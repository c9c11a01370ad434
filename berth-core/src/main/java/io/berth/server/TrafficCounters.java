package io.berth.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The traffic figures HAProxy keeps per frontend, backend and server ({@code fe_counters}/{@code be_counters}):
 * bytes, requests, HTTP status classes, denials, errors, maxima, rates and the timers' maxima and averages, read
 * by {@code show stat}, the stats page and the Prometheus exporter. Written by the data plane's event loops
 * (LongAdder cells, so the hot path does not contend), read by the runtime API threads. Reset only by a new
 * runtime (a reload carries server states, not counters).
 */
public final class TrafficCounters {
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    /** Raw HTTP/1 bytes of the client connections (frontends: {@code h1_bytes_in}/{@code h1_bytes_out}). */
    public final LongAdder wireIn = new LongAdder();
    public final LongAdder wireOut = new LongAdder();
    /** hrsp_1xx .. hrsp_5xx, hrsp_other. */
    private final LongAdder[] responses = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder(), new LongAdder()};
    /** HTTP requests ({@code req_tot}). */
    public final LongAdder requests = new LongAdder();
    /** Requests answered by a service: stats page, Prometheus ({@code intercepted}). */
    public final LongAdder intercepted = new LongAdder();
    /** Requests denied by a rule ({@code dreq}), responses by an {@code http-response} rule ({@code dresp}). */
    public final LongAdder deniedRequests = new LongAdder();
    public final LongAdder deniedResponses = new LongAdder();
    /** Connections and sessions refused by {@code tcp-request connection|session} rules ({@code dcon}, {@code dses}). */
    public final LongAdder deniedConnections = new LongAdder();
    public final LongAdder deniedSessions = new LongAdder();
    /** Server connections made for a server that persistence (cookie, stick table) designated. */
    public final LongAdder persistent = new LongAdder();
    /** Times a server was chosen by the balancer ({@code lbtot}), as opposed to persistence. */
    public final LongAdder loadBalanced = new LongAdder();
    /** New server connections ({@code connect}) and idle ones reused ({@code reuse}). */
    public final LongAdder connects = new LongAdder();
    public final LongAdder reuses = new LongAdder();
    /** Failed connections ({@code econ}), broken responses ({@code eresp}), aborts ({@code cli_abrt}/{@code srv_abrt}). */
    public final LongAdder connectionErrors = new LongAdder();
    public final LongAdder responseErrors = new LongAdder();
    public final LongAdder clientAborts = new LongAdder();
    public final LongAdder serverAborts = new LongAdder();
    /** Retries ({@code wretr}) and redispatches ({@code wredis}). */
    public final LongAdder retries = new LongAdder();
    public final LongAdder redispatches = new LongAdder();
    /** Sessions ({@code rate}), HTTP requests ({@code req_rate}) and connections ({@code conn_rate}) per second. */
    public final EventRate sessionRate = new EventRate();
    public final EventRate requestRate = new EventRate();
    public final EventRate connectionRate = new EventRate();
    private final AtomicInteger maxConns = new AtomicInteger();
    /** Epoch ms of the last session given to this proxy or server; 0 = never ({@code lastsess} -1). */
    private final AtomicLong lastSessionMs = new AtomicLong();
    private final AtomicLong[] timerMax = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final long[] timerAvg = new long[4];

    /** The timers of {@code show stat}: queue, connect, response, total. */
    public enum Timer { QUEUE, CONNECT, RESPONSE, TOTAL }

    /** Counts one response of status {@code code} in its class (HAProxy's {@code rsp[code / 100]}). */
    public void response(int code) {
        int c = code / 100;
        responses[c >= 1 && c <= 5 ? c - 1 : 5].increment();
    }

    /** Responses of class {@code cls} (1..5), or the others for 0. */
    public long responses(int cls) {
        return responses[cls >= 1 && cls <= 5 ? cls - 1 : 5].sum();
    }

    /** Records {@code current} concurrent sessions, keeping the maximum ({@code smax}). */
    public void noteConns(int current) {
        maxConns.accumulateAndGet(current, Math::max);
    }

    public int maxConns() {
        return maxConns.get();
    }

    /** A new session reached this proxy or server now: the rate and {@code lastsess}. */
    public void session(long nowMs) {
        sessionRate.add(nowMs);
        lastSessionMs.set(nowMs);
    }

    /** Seconds since the last session, -1 when there was none ({@code lastsess}). */
    public long secondsSinceLastSession(long nowMs) {
        long t = lastSessionMs.get();
        return t == 0 ? -1 : Math.max(0, (nowMs - t) / 1000);
    }

    /**
     * Adds one sample of a timer in ms (negative: not measured, ignored), keeping its maximum and HAProxy's
     * sliding average over the last 1024 samples ({@code swrate_add}: {@code avg += v - avg / 1024}, stored x1024).
     */
    public void timer(Timer t, long ms) {
        if (ms < 0) {
            return;
        }
        timerMax[t.ordinal()].accumulateAndGet(ms, Math::max);
        synchronized (timerAvg) {
            timerAvg[t.ordinal()] += ms - timerAvg[t.ordinal()] / 1024;
        }
    }

    public long timerMax(Timer t) {
        return timerMax[t.ordinal()].get();
    }

    /** The average of the last samples, {@code samples} being how many were taken (HAProxy's swrate_avg). */
    public long timerAverage(Timer t, long samples) {
        long sum;
        synchronized (timerAvg) {
            sum = timerAvg[t.ordinal()];
        }
        long n = Math.min(1024, samples);
        return n <= 0 ? 0 : sum / n;
    }
}
