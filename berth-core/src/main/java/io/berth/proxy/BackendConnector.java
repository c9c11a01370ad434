package io.berth.proxy;

import io.berth.balance.BalanceRequest;
import io.berth.model.TimeoutsSpec;
import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The balance → connect → retry-or-redispatch steps for one request (HTTP) or one connection (TCP). Runs entirely
 * on the client connection's event loop and connects from that loop, so the backend channel shares it.
 *
 * <p>HAProxy 2.6 behaviour matched (reference §5): {@code retries N} further attempts after a failed connect; before
 * re-trying the same server it pauses {@code min(1 s, timeout connect)}; with {@code option redispatch} (interval
 * -1) the last retry goes back to load balancing, skipping the servers already tried. A later retry-on policy
 * replaces {@link #retryOrRedispatch}. The chosen server's {@code currentConns} is counted here; whoever finishes
 * the stream calls {@link #release()}.
 */
public final class BackendConnector {
    /** What the caller learns; exactly one of the two methods is called, once, on the event loop. */
    public interface Outcome {
        void connected(Server server, Channel channel, boolean reused);

        /**
         * @param server      the last server tried, or null when the balancer had none
         * @param termination {@code SC} refused/failed, {@code sC} connect timeout
         */
        void failed(Server server, String termination);
    }

    private final EventLoop loop;
    private final Session session;
    private final RuntimeBackend backend;
    private final BalanceRequest request;
    private final ChannelHandler initializer;
    private final Function<Server, Channel> pool;
    private final Outcome outcome;
    private final List<Server> tried = new ArrayList<>(2);
    private Server server;
    private int retries;
    private boolean redispatched;
    private boolean cancelled;
    private boolean released;
    private long connectStartNanos;
    private long connectedNanos;

    /**
     * @param pool idle connection source for a server (HTTP reuse), or null; a pooled channel counts as connected
     */
    public BackendConnector(EventLoop loop, Session session, RuntimeBackend backend, BalanceRequest request,
                            ChannelHandler initializer, Function<Server, Channel> pool, Outcome outcome) {
        this.loop = loop;
        this.session = session;
        this.backend = backend;
        this.request = request;
        this.initializer = initializer;
        this.pool = pool;
        this.outcome = outcome;
    }

    /** Balance step then connect step. */
    public void start() {
        start(null);
    }

    /**
     * Connect step to {@code persistent} when persistence (a cookie) already chose the server, else balance step
     * then connect step.
     */
    public void start(Server persistent) {
        Server picked = persistent != null ? persistent : backend.balancer().pick(request, s -> false);
        if (picked == null) {
            outcome.failed(null, "SC");
            return;
        }
        assign(picked);
        connect();
    }

    private void assign(Server s) {
        if (server != null) {
            server.currentConns.decrementAndGet();
        }
        server = s;
        tried.add(s);
        s.currentConns.incrementAndGet();
        s.totalConns.incrementAndGet();
    }

    private void connect() {
        if (cancelled) {
            return;
        }
        connectStartNanos = System.nanoTime();
        if (pool != null) {
            Channel idle = pool.apply(server);
            if (idle != null) {
                connectedNanos = connectStartNanos;
                outcome.connected(server, idle, true);
                return;
            }
        }
        Bootstrap b = new Bootstrap().group(loop).channel(session.backendChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(initializer);
        long timeout = backend.spec().timeouts().connect();
        if (timeout != TimeoutsSpec.UNSET) {
            b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout)));
        }
        ChannelFuture f = b.connect(server.address());
        f.addListener(done -> {
            if (cancelled) {
                f.channel().close();
                return;
            }
            if (done.isSuccess()) {
                connectedNanos = System.nanoTime();
                f.channel().config().setAutoRead(true);
                outcome.connected(server, f.channel(), false);
            } else {
                retryOrRedispatch(done.cause() instanceof ConnectTimeoutException ? "sC" : "SC");
            }
        });
    }

    /** The retry step: same server after a pause, or (redispatch, last retry) another server at once. */
    private void retryOrRedispatch(String termination) {
        int max = backend.spec().retries();
        if (retries >= max) {
            outcome.failed(server, termination);
            return;
        }
        retries++;
        if (backend.spec().options().redispatch() && isRedispatchTurn(max)) {
            Server other = backend.balancer().pick(request, tried::contains);
            if (other != null && other != server) {
                redispatched = true;
                assign(other);
                connect();
                return;
            }
        }
        long connectTimeout = backend.spec().timeouts().connect();
        long pause = connectTimeout == TimeoutsSpec.UNSET ? 1000 : Math.min(1000, connectTimeout);
        loop.schedule(this::connect, pause, TimeUnit.MILLISECONDS);
    }

    /** HAProxy's redispatch interval: positive P every P-th retry, negative N at retry (retries+1+N), -1 = last. */
    private boolean isRedispatchTurn(int max) {
        int interval = backend.spec().options().redispatchInterval();
        if (interval > 0) {
            return retries % interval == 0;
        }
        int every = max + 1 + interval;
        return every > 0 && retries % every == 0;
    }

    /** Stops any pending attempt (client went away); a channel connecting later is closed. */
    public void cancel() {
        cancelled = true;
    }

    /** Gives the server slot back when the request/connection using it ends; later calls do nothing. */
    public void release() {
        if (server != null && !released) {
            server.currentConns.decrementAndGet();
            released = true;
        }
    }

    public Server server() {
        return server;
    }

    public int retries() {
        return retries;
    }

    public boolean redispatched() {
        return redispatched;
    }

    /** Milliseconds the successful connect took, HAProxy's Tc. */
    public long connectMillis() {
        return TimeUnit.NANOSECONDS.toMillis(connectedNanos - connectStartNanos);
    }
}
