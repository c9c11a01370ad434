package io.berth.proxy.http;

import io.berth.model.RetryOn;
import io.berth.proxy.BackendConnector;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayList;
import java.util.List;

/**
 * Hooks the retry step ({@link BackendConnector}: retries, redispatch, queues, {@code retry-on}) into an HTTP
 * transaction: copies the connector's timers, retry count and queue positions into the log fields, and keeps the copy
 * of a request that a layer-7 retry sends again. Event-loop thread of the client connection only.
 *
 * <p>HAProxy 2.6 keeps a copy of the request for layer-7 retries only when the whole request (head and body) was
 * received by the time it is first sent to a server (src/stconn.c, TX_L7_RETRY cleared otherwise); there is no
 * method check, so a small POST is retried too (observed: 4 attempts with {@code retries 3}, log {@code /3}).
 */
final class RetryStep {
    private RetryStep() {
    }

    /** The body chunks of one fully received request, kept to be written again on a layer-7 retry. */
    static final class RequestCopy {
        private final List<HttpContent> chunks;

        private RequestCopy(List<HttpContent> chunks) {
            this.chunks = chunks;
        }

        /** Writes the body again after the request head (the caller writes the head). */
        void resend(Channel ch) {
            for (HttpContent c : chunks) {
                ch.write(c.retainedDuplicate());
            }
        }

        void release() {
            for (HttpContent c : chunks) {
                c.release();
            }
            chunks.clear();
        }
    }

    /**
     * Copies the body of the current request from the queued client messages, or returns null when it has not
     * been received completely (then no layer-7 retry is possible, as in HAProxy).
     */
    static RequestCopy capture(Iterable<HttpObject> pending, HttpRequest request) {
        List<HttpContent> out = new ArrayList<>(2);
        for (HttpObject o : pending) {
            if (o instanceof HttpRequest) {
                break;
            }
            if (o instanceof HttpContent c) {
                out.add(c.retainedDuplicate());
                if (c instanceof LastHttpContent) {
                    return new RequestCopy(out);
                }
            }
        }
        for (HttpContent c : out) {
            c.release();
        }
        // A bodiless request is complete at its head: its empty last part may simply not be read yet (a pooled
        // server connection is handed over before the decoder's next message arrives).
        if (out.isEmpty() && !io.netty.handler.codec.http.HttpUtil.isTransferEncodingChunked(request)
                && io.netty.handler.codec.http.HttpUtil.getContentLength(request, 0L) == 0) {
            return new RequestCopy(new ArrayList<>(List.of(LastHttpContent.EMPTY_LAST_CONTENT)));
        }
        return null;
    }

    /**
     * Whether a layer-7 retry may run for {@code event}: the request was kept ({@code kept}), the backend retries
     * on that event (a reused connection dying counts as a connect failure) and retries remain.
     */
    static boolean allows(BackendConnector c, RetryOn event, boolean kept) {
        return event != null && kept && c != null
                && (c.retriesOn(event) || event == RetryOn.CONN_FAILURE && c.reused() && c.retriesConnectFailures())
                && c.canRetry();
    }

    /**
     * Berth's one addition to HAProxy's retry rules, for the promise that a pinned client never sees a dead
     * server: with {@code option redispatch}, a safe bodiless request (GET, HEAD, OPTIONS, TRACE) whose server
     * closed before answering anything is sent again, as if {@code retry-on empty-response} were set. HAProxy 2.6
     * answers 502 there unless {@code retry-on} says so; replaying such a request cannot change the server's state.
     */
    static boolean replaysIdempotent(BackendConnector c, HttpTransaction tx, RetryOn event, boolean kept) {
        return event == RetryOn.EMPTY_RESPONSE && kept && c != null && replayable(tx) && c.canRetry();
    }

    /** A request {@link #replaysIdempotent} may send again: keep a copy of it when it is sent. */
    static boolean replayable(HttpTransaction tx) {
        if (tx == null || tx.backend == null || !tx.backend.spec().options().redispatch()) {
            return false;
        }
        String m = tx.request.method().name();
        return (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || m.equals("TRACE"))
                && !io.netty.handler.codec.http.HttpUtil.isTransferEncodingChunked(tx.request)
                && io.netty.handler.codec.http.HttpUtil.getContentLength(tx.request, 0L) == 0;
    }

    /** The {@code retry-on} event a final response status stands for, or null. */
    static RetryOn statusEvent(int status) {
        for (RetryOn r : RetryOn.values()) {
            if (r.status() == status) {
                return r;
            }
        }
        return null;
    }

    /** Log fields once a server connection is ready: Tw up to the last assignment, Tc from it. */
    static void connected(HttpTransaction tx, BackendConnector c, boolean reused) {
        long assigned = c.assignedNanos();
        tx.tw = assigned == 0 ? 0 : Math.max(0, HttpTransaction.millisSince(tx.headersNanos, assigned));
        tx.tc = reused && c.retries() == 0 ? 0 : c.connectMillis();
        counts(tx, c);
    }

    /** Log fields when no connection could be had (503): Tw only if the request was ever assigned or queued. */
    static void failed(HttpTransaction tx, BackendConnector c) {
        long assigned = c.assignedNanos();
        tx.tw = assigned == 0 ? HttpTransaction.NEVER
                : Math.max(0, HttpTransaction.millisSince(tx.headersNanos, assigned));
        counts(tx, c);
    }

    private static void counts(HttpTransaction tx, BackendConnector c) {
        tx.retries = c.retries();
        tx.redispatched = c.redispatched();
        tx.srvQueue = c.serverQueuePosition();
        tx.backendQueue = c.backendQueuePosition();
    }
}
