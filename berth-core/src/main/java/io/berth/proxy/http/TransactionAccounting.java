package io.berth.proxy.http;

import io.berth.runtime.RuntimeFrontend;
import io.netty.handler.codec.http.HttpContent;
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
    /** Wire bytes counted when the previous transaction ended (for the stick counters). */
    private long inMark;
    private long outMark;
    /** The transaction's size as HAProxy counts bin/bout and logs %B, each way. */
    private long htxIn;
    private long htxOut;
    /** Whether the request (over HTTP/1) and the response came chunked: see {@link HtxSize#body}. */
    private boolean requestChunked;
    private boolean responseChunked;

    TransactionAccounting(RuntimeFrontend fe, ByteCounter wire) {
        this.fe = fe;
        this.wire = wire;
    }

    /**
     * A request head arrived: a new transaction starts counting. {@code http1}: it came over HTTP/1, where a
     * chunked body ends with an end-of-trailers block (an HTTP/2 stream's has none).
     */
    void start(HttpMessage requestHead, boolean http1) {
        htxIn = HtxSize.head(requestHead);
        htxOut = 0;
        requestChunked = http1 && HtxSize.chunked(requestHead);
        responseChunked = false;
    }

    void requestBody(HttpContent c) {
        htxIn += HtxSize.body(c, requestChunked);
    }

    void responseHead(HttpMessage head) {
        htxOut += HtxSize.head(head);
        responseChunked = HtxSize.chunked(head);
    }

    void responseBody(HttpContent c) {
        htxOut += HtxSize.body(c, responseChunked);
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
        // HAProxy logs the response's HTX size as %B, the same figure as its bout (not the bytes on the wire)
        t.bytesOut = htxOut;
        long in = wire.in - inMark;
        long out = wire.out - outMark;
        io.berth.proxy.StickStep.end(t.counters, in, out);
        io.berth.proxy.TrafficStep.ended(fe, t.backend, t.server, t.status, t.response != null ? t.serverStatus : 0,
                htxIn, htxOut, in, out,
                t.tw, t.tc, t.tr, HttpTransaction.millisSince(t.startNanos, System.nanoTime()), t.retries,
                t.redispatched, t.termination);
        inMark = wire.in;
        outMark = wire.out;
        if (fe.spec().options().httpLog()) {
            fe.log().http(t.logEntry(System.nanoTime()));
        }
    }
}
