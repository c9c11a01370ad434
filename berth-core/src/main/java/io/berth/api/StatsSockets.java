package io.berth.api;

import io.berth.health.HealthChecks;
import io.berth.model.GlobalSpec;
import io.berth.model.StatsSocketSpec;
import io.berth.runtime.Runtime;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The process's runtime API: every {@code stats socket} of the {@code global} section, served with one command
 * registry over one {@link ApiContext}. The lead starts it after the runtime is built, calls
 * {@link #swap(Runtime, Map)} after a reload and {@link #stop()} on exit. Thread-safe.
 */
public final class StatsSockets {
    private final ApiContext context;
    private final List<StatsSocket> sockets;
    private final ScheduledExecutorService timer;

    private StatsSockets(ApiContext context, List<StatsSocket> sockets, ScheduledExecutorService timer) {
        this.context = context;
        this.sockets = sockets;
        this.timer = timer;
    }

    /**
     * Binds every socket of {@code global.statsSockets()}; none is an empty, stoppable instance.
     *
     * @param checksByBackend running health checks by backend name (may be empty)
     * @throws IOException when a socket cannot be bound (those already bound are closed)
     */
    public static StatsSockets start(Runtime runtime, GlobalSpec global, Map<String, HealthChecks> checksByBackend)
            throws IOException {
        ApiContext context = new ApiContext(runtime, checksByBackend);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-stats-timeout");
            t.setDaemon(true);
            return t;
        });
        CommandRegistry registry = ApiCommands.registry();
        HttpServices.install(context);
        List<StatsSocket> sockets = new ArrayList<>();
        try {
            for (StatsSocketSpec spec : global.statsSockets()) {
                sockets.add(new StatsSocket(spec, registry, context, global.statsTimeoutMs(), timer));
            }
        } catch (IOException | RuntimeException e) {
            sockets.forEach(StatsSocket::close);
            timer.shutdownNow();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return new StatsSockets(context, List.copyOf(sockets), timer);
    }

    /** Points every socket at a new runtime (after a reload). */
    public void swap(Runtime runtime, Map<String, HealthChecks> checksByBackend) {
        context.swap(runtime, checksByBackend);
    }

    /** Bound addresses in configuration order (TCP ports chosen by the system show here). */
    public List<SocketAddress> addresses() throws IOException {
        List<SocketAddress> out = new ArrayList<>();
        for (StatsSocket s : sockets) {
            out.add(s.localAddress());
        }
        return out;
    }

    public ApiContext context() {
        return context;
    }

    /** Closes every socket and client, removes the socket files. Idempotent. */
    public void stop() {
        sockets.forEach(StatsSocket::close);
        timer.shutdownNow();
    }
}
