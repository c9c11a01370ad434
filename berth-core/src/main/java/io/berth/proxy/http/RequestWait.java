package io.berth.proxy.http;

import io.berth.model.TimeoutsSpec;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The wait for the next request head on a client connection, with HAProxy's timers: {@code timeout
 * http-keep-alive} while a kept-alive connection is idle, {@code timeout http-request} from the connection's start
 * or the first byte of a request until its head is complete. Remembers when that first byte came (the request's
 * start for TR/Ta and the log date). Owned by {@link FrontendHttpHandler}; event-loop confined.
 */
final class RequestWait {
    private final EventLoop loop;
    private final TimeoutsSpec timeouts;
    private final Runnable onTimeout;
    private ScheduledFuture<?> timer;
    boolean keepAlive;
    boolean bytesSeen;
    long startNanos;
    long startEpochMillis;

    RequestWait(EventLoop loop, TimeoutsSpec timeouts, Runnable onTimeout) {
        this.loop = loop;
        this.timeouts = timeouts;
        this.onTimeout = onTimeout;
    }

    /** Starts waiting: after a response ({@code keepAlive}) or on a new connection. */
    void arm(boolean keepAlive) {
        cancel();
        this.keepAlive = keepAlive;
        long ms = keepAlive ? timeouts.effectiveHttpKeepAlive() : timeouts.effectiveHttpRequest();
        if (ms != TimeoutsSpec.UNSET) {
            timer = loop.schedule(() -> {
                timer = null;
                onTimeout.run();
            }, ms, TimeUnit.MILLISECONDS);
        }
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Bytes arrived while no request is in progress: the request starts now and http-request applies. */
    void bytes() {
        if (bytesSeen) {
            return;
        }
        bytesSeen = true;
        startNanos = System.nanoTime();
        startEpochMillis = System.currentTimeMillis();
        if (keepAlive) {
            arm(false);
        }
    }

    /** The head arrived; the next wait starts from scratch. */
    void done() {
        cancel();
        bytesSeen = false;
        keepAlive = false;
    }

    /** True when a kept-alive connection timed out without receiving a byte (HAProxy closes it silently). */
    boolean idleKeepAlive() {
        return keepAlive && !bytesSeen;
    }

    long startNanos(long fallback) {
        return bytesSeen ? startNanos : fallback;
    }

    long startEpochMillis(long fallback) {
        return bytesSeen ? startEpochMillis : fallback;
    }
}
