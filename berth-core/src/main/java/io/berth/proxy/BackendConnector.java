package io.berth.proxy;

import io.berth.balance.BalanceRequest;
import io.berth.health.HealthChecks;
import io.berth.health.Observation;
import io.berth.health.ServerSessions;
import io.berth.model.Mode;
import io.berth.model.RetryOn;
import io.berth.model.TimeoutsSpec;
import io.berth.runtime.RuntimeBackend;
import io.berth.sample.SampleContext;
import io.berth.server.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The balance → queue → connect → retry-or-redispatch steps for one request (HTTP) or one connection (TCP). Runs on
 * the client connection's event loop and connects from that loop, so the backend channel shares it; only a queue
 * grant arrives from another loop, and is handed back to this one.
 *
 * <p>HAProxy 2.6 behaviour matched (src/backend.c {@code back_handle_st_cer}, include/haproxy/stream.h
 * {@code stream_choose_redispatch}, reference §5): a failed connect is retried {@code retries} times (log %rc);
 * {@code retry-on} without {@code conn-failure} fails at once. Each retry is sent back to load balancing only with
 * {@code option redispatch}, never under {@code force-persist}, and when the server is not running (DOWN/MAINT),
 * or it is the redispatch turn (interval P > 0: every P-th retry; N < 0: retry (retries+1+N), so -1 = the last), or
 * the request was not persistent, the algorithm is roundrobin/static-rr/random and more than one active server is
 * usable. After a refused connect (not a connect timeout) it pauses min(1 s, timeout connect) unless it redispatches
 * with a round-robin kind over more than one active server. Tw is the time of the last trip through balancing or the
 * queue (Tc runs from there), which is why a failure on the same server logs Tw 0 and a last-retry redispatch
 * {@code 0/2002/0/...}. A server that changes on redispatch logs {@code +N}.
 *
 * <p>Queues (src/queue.c): a server with {@code maxconn} takes a request only when it has room and no queue; a
 * request that no server could take joins the backend queue; {@code timeout queue} (else connect) ends the wait with
 * {@code sQ} and a 503. The slot is held until {@link #release()}.
 *
 * <p>Each connect result is reported to passive health ({@code observe}, {@link HealthChecks#observe}) and an
 * established connection is registered for {@code on-marked-down shutdown-sessions} ({@link ServerSessions}).
 *
 * <p>A server with {@code ssl} goes through the {@link TlsStep} once TCP is up; the connection counts as
 * established only when the handshake completed, as HAProxy's does. A failed handshake (certificate not trusted
 * under {@code verify required}, protocol error) is a connection error ({@code SC}, retried like a refused connect);
 * one that outlives {@code timeout connect} is a connect timeout ({@code sC}). An idle TLS connection opened with
 * another SNI than the request's is closed and a new connection made.
 */
public final class BackendConnector implements ServerQueues.Waiter {
    /** What the caller learns; exactly one of the two methods is called per attempt, on the event loop. */
    public interface Outcome {
        void connected(Server server, Channel channel, boolean reused);

        /**
         * @param server      the last server tried, or null when none was assigned
         * @param termination {@code SC} refused/failed, {@code sC} connect timeout, {@code sQ} queue timeout
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
    private final ServerQueues queues;
    private final long order = ServerQueues.nextOrder();
    private Server server;
    private boolean holdsSlot;
    private boolean queued;
    private ScheduledFuture<?> queueTimer;
    private int retries;
    private boolean redispatched;
    private boolean direct;
    private boolean forcePersist;
    private boolean cancelled;
    private boolean reusedConnection;
    private long assignedNanos;
    private long connectedNanos;
    private int serverQueuePos;
    private int backendQueuePos;

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
        this.queues = ServerQueues.of(backend);
    }

    /** Balance step then connect step. */
    public void start() {
        start(null, false);
    }

    /**
     * Connect step to {@code persistent} when persistence (a cookie) already chose the server, else balance step
     * then connect step.
     */
    public void start(Server persistent) {
        start(persistent, false);
    }

    /**
     * @param persistent   the server persistence designated (HAProxy's SF_DIRECT), or null to balance
     * @param forcePersist a {@code force-persist} rule matched: the request is never redispatched
     */
    public void start(Server persistent, boolean forcePersist) {
        this.forcePersist = forcePersist;
        if (persistent != null) {
            direct = true;
            assign(persistent);
        } else {
            balance();
        }
    }

    /** HAProxy's SC_ST_REQ: ask the balancer (skipping servers already tried), else queue on the backend. */
    private void balance() {
        if (cancelled) {
            return;
        }
        Server previous = server;
        Server picked = backend.balancer().pick(request, tried::contains);
        if (picked == null && !tried.isEmpty()) {
            // every usable server was tried already: HAProxy only avoids the previous one, so try them again
            picked = backend.balancer().pick(request, s -> false);
        }
        if (picked == null) {
            server = null;
            if (anyUsableFull()) {
                // every usable server is at its maxconn: wait in the backend queue (SRV_STATUS_FULL)
                assignedNanos = 0;
                queued = true;
                queues.enqueueBackend(this);
                armQueueTimer();
                return;
            }
            outcome.failed(previous, "SC");
            return;
        }
        if (previous != null && picked != previous) {
            redispatched = true;
        }
        assign(picked);
    }

    private boolean anyUsableFull() {
        for (Server s : backend.servers().all()) {
            if (s.isUsable() && s.spec().maxconn() > 0 && !s.hasFreeSlot()) {
                return true;
            }
        }
        return false;
    }

    /** The server is chosen: take a slot on it (or wait in its queue), then connect. */
    private void assign(Server s) {
        server = s;
        if (!tried.contains(s)) {
            tried.add(s);
        }
        s.totalConns.incrementAndGet();
        assignedNanos = System.nanoTime();
        switch (queues.acquire(s, this)) {
            case GRANTED -> {
                holdsSlot = true;
                connect();
            }
            case QUEUED -> {
                queued = true;
                armQueueTimer();
            }
            case FULL -> {
                // maxqueue reached: a persistent request may go elsewhere with redispatch (srv_redispatch_connect)
                if (direct && !forcePersist && backend.spec().options().redispatch()) {
                    direct = false;
                    balance();
                } else {
                    outcome.failed(s, "sQ");
                }
            }
        }
    }

    private void armQueueTimer() {
        long t = backend.spec().timeouts().effectiveQueue();
        if (t != TimeoutsSpec.UNSET) {
            queueTimer = loop.schedule(this::queueTimeout, Math.max(1, t), TimeUnit.MILLISECONDS);
        }
    }

    private void queueTimeout() {
        if (!queued || cancelled) {
            return;
        }
        int pos = queues.remove(this);
        if (pos < 0) {
            return; // granted meanwhile: the grant task follows on this loop
        }
        queued = false;
        recordPosition(server != null, pos);
        assignedNanos = System.nanoTime();
        outcome.failed(server, "sQ");
    }

    @Override
    public long order() {
        return order;
    }

    /** A queue gave this request a slot on {@code s} (any thread): continue on the request's loop. */
    @Override
    public void granted(Server s, int position) {
        loop.execute(() -> {
            if (cancelled || !queued) {
                queues.release(s);
                return;
            }
            queued = false;
            if (queueTimer != null) {
                queueTimer.cancel(false);
            }
            recordPosition(server != null, position);
            if (server == null) {
                // from the backend queue: the freed server takes it (HAProxy assigns pp->target = srv)
                server = s;
                if (!tried.contains(s)) {
                    tried.add(s);
                }
                s.totalConns.incrementAndGet();
            }
            holdsSlot = true;
            assignedNanos = System.nanoTime();
            connect();
        });
    }

    private void recordPosition(boolean onServer, int pos) {
        if (onServer) {
            serverQueuePos += pos;
        } else {
            backendQueuePos += pos;
        }
    }

    private void connect() {
        if (cancelled) {
            return;
        }
        reusedConnection = false;
        if (pool != null) {
            Channel idle = pool.apply(server);
            if (idle != null && !TlsStep.sameSni(server, idle, sampleContext())) {
                idle.close();
                idle = null;
            }
            if (idle != null) {
                reusedConnection = true;
                connectedNanos = System.nanoTime();
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
        Server target = server;
        ChannelFuture f = b.connect(target.address());
        f.addListener(done -> {
            if (cancelled) {
                f.channel().close();
                return;
            }
            if (done.isSuccess() && target.spec().tls().ssl()) {
                handshake(target, f.channel(), timeout);
            } else if (done.isSuccess()) {
                connectedNanos = System.nanoTime();
                f.channel().config().setAutoRead(true);
                // passive health (observe) and on-marked-down/up session cuts: src/stream.c sess_establish
                HealthChecks.observe(target, Observation.L4_OK);
                ServerSessions.track(target, f.channel());
                outcome.connected(target, f.channel(), false);
            } else {
                boolean timedOut = done.cause() instanceof ConnectTimeoutException;
                HealthChecks.observe(target, Observation.L4_ERR); // src/backend.c back_handle_st_cer
                connectFailed(!timedOut, timedOut ? "sC" : "SC");
            }
        });
    }

    private SampleContext sampleContext() {
        return request instanceof SampleContext sc ? sc : null;
    }

    /** TLS to the server: the connection is handed over once the handshake completed. */
    private void handshake(Server target, Channel ch, long connectTimeout) {
        Future<Channel> handshake = TlsStep.start(target, ch, connectTimeout, sampleContext());
        if (handshake == null) {
            ch.close();
            HealthChecks.observe(target, Observation.L4_ERR);
            connectFailed(true, "SC");
            return;
        }
        handshake.addListener(hs -> {
            if (cancelled) {
                ch.close();
                return;
            }
            if (hs.isSuccess()) {
                connectedNanos = System.nanoTime();
                HealthChecks.observe(target, Observation.L4_OK);
                ServerSessions.track(target, ch);
                outcome.connected(target, ch, false);
            } else {
                ch.close();
                boolean timedOut = hs.cause() instanceof SslHandshakeTimeoutException;
                HealthChecks.observe(target, Observation.L4_ERR);
                connectFailed(!timedOut, timedOut ? "sC" : "SC");
            }
        });
    }

    /** back_handle_st_cer: retry the same server (maybe after a pause) or redispatch, or give up. */
    private void connectFailed(boolean error, String termination) {
        if (retries >= backend.spec().retries()
                || !backend.spec().options().retryOn().contains(RetryOn.CONN_FAILURE)) {
            outcome.failed(server, termination);
            return;
        }
        retries++;
        boolean redispatch = chooseRedispatch();
        // Only wait when re-trying the same server, or when another pick would likely land on it again.
        boolean pause = error && !reusedConnection && (!redispatch || !roundRobinKind() || activeUsable() <= 1);
        Runnable next = redispatch ? this::balance : this::connect;
        if (pause) {
            long connectTimeout = backend.spec().timeouts().connect();
            long delay = connectTimeout == TimeoutsSpec.UNSET || connectTimeout <= 0 ? 1000
                    : Math.min(1000, connectTimeout);
            loop.schedule(next, delay, TimeUnit.MILLISECONDS);
        } else {
            next.run();
        }
    }

    /**
     * A layer-7 retry (HAProxy's {@code do_l7_retry}): the response of the connected server matched
     * {@code retry-on}; the caller dropped that server connection and will resend the whole buffered request when
     * {@link Outcome#connected} is called again. Never pauses.
     *
     * @return false when the retries are used up: the caller keeps the response it has
     */
    public boolean retryAfterResponse() {
        if (!canRetry()) {
            return false;
        }
        retries++;
        if (chooseRedispatch()) {
            balance();
        } else {
            connect();
        }
        return true;
    }

    /** Retries are left (HAProxy's conn_retries below {@code retries}) and the request is still wanted. */
    public boolean canRetry() {
        return !cancelled && retries < backend.spec().retries();
    }

    /**
     * The current server connection came from the idle pool. Until it answers, its failure counts as a failed
     * connect (HAProxy keeps a reused connection in SC_ST_RDY until data arrives): retried at once, no pause.
     */
    public boolean reused() {
        return reusedConnection;
    }

    /** {@code retry-on} holds {@code conn-failure} (the default), HTTP or TCP. */
    public boolean retriesConnectFailures() {
        return backend.spec().options().retryOn().contains(RetryOn.CONN_FAILURE);
    }

    /** True when {@code event} is in the backend's {@code retry-on} and the backend speaks HTTP. */
    public boolean retriesOn(RetryOn event) {
        return backend.spec().mode() == Mode.HTTP && backend.spec().options().retryOn().contains(event);
    }

    /** True when the backend may resend a request after it left (HAProxy's TX_L7_RETRY). */
    public boolean layer7Retries() {
        return backend.spec().mode() == Mode.HTTP && RetryOn.hasLayer7(backend.spec().options().retryOn());
    }

    /** stream_choose_redispatch: when true the slot is given back and persistence dropped. */
    private boolean chooseRedispatch() {
        var opts = backend.spec().options();
        if (!opts.redispatch() || forcePersist || server == null) {
            return false;
        }
        int max = backend.spec().retries();
        int interval = opts.redispatchInterval();
        boolean turn = interval > 0 ? retries % interval == 0
                : interval < 0 && (max + 1 + interval) > 0 && retries % (max + 1 + interval) == 0;
        boolean notRunning = !server.state().isRunning();
        boolean anyServer = !direct && activeUsable() > 1 && roundRobinKind();
        if (!(notRunning || turn || anyServer)) {
            return false;
        }
        releaseSlot();
        direct = false;
        return true;
    }

    private boolean roundRobinKind() {
        return switch (backend.spec().balance().algorithm()) {
            case ROUNDROBIN, STATIC_RR, RANDOM -> true;
            default -> false;
        };
    }

    private int activeUsable() {
        return backend.servers().usableActiveCount();
    }

    private void releaseSlot() {
        if (holdsSlot && server != null) {
            holdsSlot = false;
            queues.release(server);
        }
    }

    /** Stops any pending attempt (client went away); a queued request leaves its queue. */
    public void cancel() {
        cancelled = true;
        if (queued) {
            queued = false;
            queues.remove(this);
            if (queueTimer != null) {
                queueTimer.cancel(false);
            }
        }
    }

    /** Gives the server slot back when the request/connection using it ends; later calls do nothing. */
    public void release() {
        cancel();
        releaseSlot();
    }

    public Server server() {
        return server;
    }

    public int retries() {
        return retries;
    }

    /** The request ended on another server than the one first assigned (log {@code +N}). */
    public boolean redispatched() {
        return redispatched;
    }

    /**
     * When the request last went through balancing or left a queue (HAProxy's t_queue), System.nanoTime();
     * 0 when it never did. Tw is measured up to this instant and Tc from it.
     */
    public long assignedNanos() {
        return assignedNanos;
    }

    /** Milliseconds from the last assignment to the connection, HAProxy's Tc (retries to the same server count). */
    public long connectMillis() {
        return TimeUnit.NANOSECONDS.toMillis(connectedNanos - assignedNanos);
    }

    /** %sq: position the request had in its server's queue, 0 when it never queued there. */
    public int serverQueuePosition() {
        return serverQueuePos;
    }

    /** %bq: position the request had in the backend queue, 0 when it never queued there. */
    public int backendQueuePosition() {
        return backendQueuePos;
    }
}
