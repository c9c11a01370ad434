package io.berth.health;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The check task of one server: HAProxy's {@code process_chk_conn} timer loop. Pinned to one event loop, which
 * runs its timer, its probes and its {@link ServerHealth}; no thread of its own. The next check is scheduled
 * {@link ServerHealth#nextInterval()} after the previous one ended ({@code spread-checks} 0: no jitter).
 * A paused (MAINT) server is not probed; the timer keeps ticking every {@code inter} as HAProxy's does.
 */
final class ServerCheck {
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelClass;
    private final ServerHealth health;
    private final CheckProbe.Plan plan;
    private ScheduledFuture<?> next;
    private boolean running;
    private volatile boolean stopped;

    ServerCheck(EventLoop loop, Class<? extends SocketChannel> channelClass, ServerHealth health, CheckProbe.Plan plan) {
        this.loop = loop;
        this.channelClass = channelClass;
        this.health = health;
        this.plan = plan;
    }

    ServerHealth health() {
        return health;
    }

    /** Runs {@code task} on this check's event loop (where its {@link ServerHealth} lives). Any thread. */
    void onLoop(Runnable task) {
        loop.execute(task);
    }

    /** Schedules the first check after {@code delayMs}. Any thread. */
    void start(long delayMs) {
        loop.execute(() -> schedule(delayMs));
    }

    /** Cancels future checks; a probe in flight finishes but is not applied. Any thread. */
    void stop() {
        stopped = true;
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    /** The server's admin state changed (listener on its group). Any thread. */
    void adminChanged() {
        loop.execute(() -> {
            if (!stopped && health.syncMaintenance() && !health.isPaused() && !running) {
                schedule(0); // leaving maintenance: check at once
            }
        });
    }

    private void schedule(long delayMs) {
        if (stopped) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = loop.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (stopped || running) {
            return;
        }
        health.syncMaintenance();
        if (health.isPaused() || !health.checksEnabled()) {
            schedule(plan.interMs());
            return;
        }
        running = true;
        health.started();
        CheckProbe.run(loop, channelClass, target(), plan, outcome -> {
            running = false;
            if (stopped) {
                return;
            }
            health.syncMaintenance();
            health.apply(outcome);
            schedule(health.nextInterval());
        });
    }

    /** {@code addr}/{@code port} of the check when given, else the server's current address. */
    private InetSocketAddress target() {
        var spec = health.server().spec().check();
        InetSocketAddress srv = health.server().address();
        String host = spec.addr() != null ? spec.addr() : srv.getHostString();
        int port = spec.port() != 0 ? spec.port() : srv.getPort();
        if (spec.addr() == null && spec.port() == 0) {
            return srv;
        }
        return spec.addr() == null ? new InetSocketAddress(srv.getAddress(), port) : new InetSocketAddress(host, port);
    }
}
