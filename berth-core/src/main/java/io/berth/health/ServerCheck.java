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

    /**
     * Runs {@code task} on this check's event loop (where its {@link ServerHealth} lives) and waits for it, at
     * most a second, so that a runtime API answer reflects the change. Any thread but that loop.
     */
    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.submit(task).get(1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the loop is gone or stuck: the change still happens when (if) it runs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /**
     * The server's admin state changed (listener on its group). Any thread. Leaving maintenance does not check at
     * once: as in HAProxy, the checks go on at their interval (they kept it while paused), the server UP from
     * rise meanwhile ({@code show stat}: "UP 1/3").
     */
    void adminChanged() {
        loop.execute(() -> {
            if (!stopped) {
                health.syncMaintenance();
            }
        });
    }

    /**
     * Passive health: counts {@code o} (any thread, a few atomics); when the error limit is reached the
     * {@code on-error} action runs on this check's loop, and the next check comes at fastinter unless one is
     * running or due sooner.
     */
    void observe(Observation o) {
        if (!health.count(o)) {
            return;
        }
        int sessions = health.server().currentConns.get();
        loop.execute(() -> {
            if (stopped) {
                return;
            }
            health.analyze(o, sessions);
            if (!running) {
                long fast = health.nextInterval();
                if (next == null || next.getDelay(TimeUnit.MILLISECONDS) > fast) {
                    schedule(fast);
                }
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

    /**
     * Where to connect: the {@code http-check connect} rule's choice when there is one, else {@code addr}/{@code port}
     * of the check when given, else the server's current address.
     */
    private InetSocketAddress target() {
        var spec = health.server().spec().check();
        InetSocketAddress srv = health.server().address();
        if (plan.connect() != null) {
            return plan.connect().target(srv, spec);
        }
        String host = spec.addr() != null ? spec.addr() : srv.getHostString();
        int port = spec.port() != 0 ? spec.port() : srv.getPort();
        if (spec.addr() == null && spec.port() == 0) {
            return srv;
        }
        return spec.addr() == null ? new InetSocketAddress(srv.getAddress(), port) : new InetSocketAddress(host, port);
    }
}
