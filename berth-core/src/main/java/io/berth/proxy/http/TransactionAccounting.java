package io.berth.proxy.http;

import io.berth.runtime.RuntimeFrontend;
import io.netty.handler.codec.http.HttpMessage;

/**
 * The byte counts of one client connection's transactions and what happens when a transaction ends: stick
 * counters (bytes in/out), traffic counters for {@code show stat} and Prometheus (HAProxy's {@code bin}/{@code bout}
 * count the transaction's internal size, {@link HtxSize}; the stick table counts wire bytes), then the httplog
 * line. Owned by the connection's {@link TransactionRelay}; event-loop thread only.
 */
final class TransactionAccounting {
    private final RuntimeFrontend fe;
    private final ByteCounter wire;
    /** Wire bytes counted when the current transaction started (out) and when the previous one ended (in/out). */
    private long outAtStart;
    private long inMark;
    private long outMark;
    /** The transaction's size as HAProxy counts bin/bout, each way. */
    private long htxIn;
    private long htxOut;

    TransactionAccounting(RuntimeFrontend fe, ByteCounter wire) {
        this.fe = fe;
        this.wire = wire;
    }

    /** A request head arrived: a new transaction starts counting. */
    void start(HttpMessage requestHead) {
        htxIn = HtxSize.head(requestHead);
        htxOut = 0;
        outAtStart = wire.out;
    }

    void requestBody(int bytes) {
        htxIn += bytes;
    }

    void responseHead(HttpMessage head) {
        htxOut += HtxSize.head(head);
    }

    void responseBody(int bytes) {
        htxOut += bytes;
    }

    /** An answer Berth wrote itself (error page, deny, return, service). */
    void localAnswer(byte[] bytes) {
        htxOut += HtxSize.raw(bytes);
    }

    /** Ends {@code t}: counters back, bytes accounted, the httplog line written. */
    void end(HttpTransaction t) {
        if (t.backend != null) {
            t.backend.currentConns.decrementAndGet();
        }
        t.bytesOut = wire.out - outAtStart;
        long in = wire.in - inMark;
        long out = wire.out - outMark;
        io.berth.proxy.StickStep.end(t.counters, in, out);
        io.berth.proxy.TrafficStep.ended(fe, t.backend, t.server, t.status, t.response != null, htxIn, htxOut, in, out,
                t.tw, t.tc, t.tr, HttpTransaction.millisSince(t.startNanos, System.nanoTime()), t.retries,
                t.redispatched, t.termination);
        inMark = wire.in;
        outMark = wire.out;
        if (fe.spec().options().httpLog()) {
            fe.log().http(t.logEntry(System.nanoTime()));
        }
    }
}
