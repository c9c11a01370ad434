package io.berth.proxy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * An inactivity timeout ({@code timeout client}, {@code timeout server}, {@code timeout tunnel}...): fires its
 * action once when nothing {@link #touch() touched} it for the configured time. Touching only stores a timestamp;
 * the scheduled check re-arms itself for the remainder, so a busy stream costs no timer churn. Event-loop confined.
 */
public final class IdleTimer {
    private final EventLoop loop;
    private final long timeoutNanos;
    private final Runnable onIdle;
    private long lastNanos;
    private ScheduledFuture<?> check;

    /** @param timeoutMillis the timeout; -1 (unset) makes a timer that never fires */
    public IdleTimer(EventLoop loop, long timeoutMillis, Runnable onIdle) {
        this.loop = loop;
        this.timeoutNanos = timeoutMillis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.onIdle = onIdle;
    }

    public void touch() {
        lastNanos = System.nanoTime();
    }

    /** Starts (or restarts) counting from now. */
    public void start() {
        touch();
        if (timeoutNanos < 0 || check != null) {
            return;
        }
        schedule(timeoutNanos);
    }

    public void stop() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    public boolean running() {
        return check != null;
    }

    private void schedule(long delayNanos) {
        check = loop.schedule(this::fire, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        long idle = System.nanoTime() - lastNanos;
        if (idle < timeoutNanos) {
            schedule(timeoutNanos - idle);
            return;
        }
        check = null;
        onIdle.run();
    }
}
