package io.berth.proxy.http;

import io.berth.model.HttpConnectionMode;
import io.berth.proxy.BackendConnector;
import io.berth.proxy.IdleTimer;
import io.berth.proxy.Session;
import io.berth.runtime.HttpRule;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.berth.server.Server;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * The HTTP/1.1 proxy for one client connection: takes requests one at a time (pipelined ones wait, decoded, in
 * {@link #pending}), runs frontend rules, routing and backend rules, gets a server connection through
 * {@link BackendConnector} (reusing idle ones as HAProxy's {@code http-reuse safe}), streams the request body to
 * the server and the response back with back-pressure both ways, and ends each transaction with counters and the
 * httplog line. HAProxy's own answers are written byte for byte: the parser's (400/408/422) close the connection,
 * the stream's (502/503/504) and deny/return/redirect keep it for the next request as HAProxy 2.6 does. The
 * decisions on heads are {@link RequestSteps}, the byte accounting {@link TransactionAccounting}. One instance per
 * client connection; every method runs on its event loop, which its server connections share.
 */
final class FrontendHttpHandler extends ChannelInboundHandlerAdapter
        implements BackendHttpHandler.Exchange, ByteCounter.Listener, BackendConnector.Outcome {
    /** HAProxy's tune.bufsize (16384) minus tune.maxrewrite (1024): the request head must fit, else 400. */
    static final int MAX_HEAD = 15360;

    /** Fired on every connection when the proxy stops: finish the current request, then close. */
    static final Object DRAIN = new Object();

    private final Session session;
    private final RuntimeFrontend fe;
    private final ByteCounter counter;
    private final FrontendResponseEncoder encoder;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;

    // Between requests.
    private RequestWait wait;
    private boolean closing;
    private int requestCount;
    private Channel lastBackend;

    // The current transaction.
    private HttpTransaction tx;
    private BackendConnector connector;
    /** The request kept for a layer-7 retry ({@code retry-on}), or null. */
    private RetryStep.RequestCopy l7;
    private HttpConnectionMode mode;
    private HttpRequest serverRequest;
    private Channel backend;
    private BackendHttpHandler backendHandler;
    private boolean backendReady;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean interim;
    private boolean discardBody;
    private boolean closeClient;
    private boolean closeDelimited;
    private final TransactionAccounting accounting;
    /** The server persistence designated (cookie, stick table), to tell balanced picks apart ({@code lbtot}). */
    private Server persistentChoice;
    private IdleTimer clientTimer;
    private IdleTimer serverTimer;

    FrontendHttpHandler(Session session, ByteCounter counter, FrontendResponseEncoder encoder) {
        this.session = session;
        this.fe = session.frontend();
        this.counter = counter;
        this.encoder = encoder;
        this.accounting = new TransactionAccounting(fe, counter);
        counter.listener(this);
    }


    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        wait = new RequestWait(ctx.channel().eventLoop(), fe.spec().timeouts(), this::requestTimeout);
        wait.arm(false);
        io.berth.proxy.TrafficStep.accepted(fe, System.currentTimeMillis());
        ctx.fireChannelActive();
    }

    @Override
    public void bytesIn(int n) {
        if (clientTimer != null) {
            clientTimer.touch();
        }
        if (tx == null && wait != null) {
            wait.bytes();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject o) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(o);
        drain();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (backend != null && backendReady) {
            backend.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (backend != null) {
            backend.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent || evt == DRAIN) {
            if (evt == DRAIN) {
                session.startDraining();
            }
            if (tx == null && pending.isEmpty()) {
                closeNow();
            } else {
                closeClient = true;
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        cancelWait();
        releasePending();
        if (tx != null) {
            tx.termination = responseStarted || !requestDone ? "CD" : "CH";
            if (connector != null) {
                connector.cancel();
            }
            releaseBackend(false);
            endTransaction();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }


    /** Feeds queued messages to the transaction as far as its state allows, then sets client reading. */
    private void drain() {
        while (!pending.isEmpty() && !closing) {
            HttpObject o = pending.peek();
            if (o instanceof HttpRequest req) {
                if (tx != null) {
                    break;
                }
                pending.poll();
                onRequest(req);
                if (req instanceof HttpContent c) {
                    ReferenceCountUtil.release(c);
                }
                continue;
            }
            HttpContent c = (HttpContent) o;
            if (tx == null || discardBody) {
                pending.poll();
                if (tx != null) {
                    accounting.requestBody(c.content().readableBytes());
                }
                if (c instanceof LastHttpContent) {
                    requestDone = true;
                }
                c.release();
                continue;
            }
            if (!backendReady) {
                break;
            }
            pending.poll();
            forwardContent(c);
        }
        updateClientRead();
    }

    private void onRequest(HttpRequest req) {
        cancelWait();
        int refused = req.decoderResult().isFailure() ? 400 : RequestChecks.transferEncodingStatus(req);
        if (refused != 0) {
            parserError(refused, "PR");
            return;
        }
        long now = System.nanoTime();
        String version = ctx.channel() instanceof io.netty.handler.codec.http2.Http2StreamChannel ? "HTTP/2.0"
                : req.protocolVersion().text();
        HttpTransaction next = new HttpTransaction(session, req, version, wait.startNanos(now),
                wait.startEpochMillis(System.currentTimeMillis()));
        next.counters = io.berth.proxy.StickStep.counters(session.runtime(),
                io.berth.proxy.TcpRuleStep.connectionCounters(ctx.channel()));
        // tcp-request content rules: per request, before it is counted; a reject closes without a response
        if (!io.berth.proxy.TcpRuleStep.content(fe, next, next.counters, true)) {
            closeNow();
            return;
        }
        requestCount++;
        fe.totalRequests.incrementAndGet();
        io.berth.proxy.TrafficStep.request(fe, System.currentTimeMillis());
        accounting.start(req);
        tx = next;
        wait.done();
        requestDone = responseStarted = interim = discardBody = closeDelimited = backendReady = false;
        mode = ServerRequests.mode(fe, null);
        closeClient = !HttpUtil.isKeepAlive(req) || mode == HttpConnectionMode.CLOSE || session.draining();
        clientTimer = new IdleTimer(ctx.channel().eventLoop(), fe.spec().timeouts().client(), this::clientTimeout);
        clientTimer.start();

        RequestSteps.Decision decision = RequestSteps.request(fe, tx, req.headers());
        if (decision.reply() != null) {
            localReply(decision.reply(), "PR");
            return;
        }
        if (decision.noBackend()) {
            streamError(503, "SC");
            return;
        }
        RuntimeBackend be = tx.backend;
        Server persistent = decision.persistent();
        mode = ServerRequests.mode(fe, be);
        closeClient |= mode == HttpConnectionMode.CLOSE;
        serverRequest = ServerRequests.forServer(tx, fe, be, mode);
        BackendPool pool = BackendPool.current();
        Channel preferred = lastBackend;
        // http-reuse safe: the first request of a connection always gets a fresh server connection.
        // Counted per client connection, so the streams of one HTTP/2 connection reuse as HAProxy's do.
        boolean mayReuse = session.countRequest() > 1;
        connector = new BackendConnector(ctx.channel().eventLoop(), session, be, tx, BackendHttpHandler.initializer(),
                mayReuse ? srv -> pool.acquire(srv, preferred) : null, this);
        persistentChoice = persistent;
        connector.start(persistent, tx.cookie.forcePersist());
    }

    @Override
    public void connected(Server server, Channel channel, boolean reused) {
        if (tx == null || closing) {
            channel.close();
            return;
        }
        tx.server = server;
        session.routedTo(tx.backend.name(), server.name());
        io.berth.proxy.TrafficStep.connected(tx.backend, server, true, server != persistentChoice, reused,
                System.currentTimeMillis());
        RetryStep.connected(tx, connector, reused);
        backend = channel;
        backendHandler = BackendHttpHandler.of(channel);
        backendHandler.server = server;
        backendHandler.attach(this, tx.head);
        channel.config().setAutoRead(ctx.channel().isWritable());
        serverTimer = new IdleTimer(ctx.channel().eventLoop(), tx.backend.spec().timeouts().server(),
                this::serverTimeout);
        serverTimer.start();
        channel.write(serverRequest);
        if (l7 != null) {
            l7.resend(channel);
        } else if (connector.layer7Retries() || reused || RetryStep.replayable(tx)) {
            // a reused connection may turn out dead before answering: HAProxy then retries the request
            l7 = RetryStep.capture(pending, tx.request);
        }
        tx.requestSentNanos = System.nanoTime();
        backendReady = true;
        drain();
        channel.flush();
    }

    @Override
    public void failed(Server server, String termination) {
        if (tx == null || closing) {
            return;
        }
        tx.server = server;
        RetryStep.failed(tx, connector);
        streamError(503, termination);
    }

    private void forwardContent(HttpContent c) {
        accounting.requestBody(c.content().readableBytes());
        serverTimer.touch();
        backend.write(c);
        if (c instanceof LastHttpContent) {
            requestDone = true;
            clientTimer.stop();
            backend.flush();
        } else if (!backend.isWritable()) {
            backend.flush();
        }
    }


    @Override
    public void backendRead(HttpObject msg) {
        if (tx == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        serverTimer.touch();
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                if (responseStarted) {
                    abort("SD");
                } else if (!retry(io.berth.model.RetryOn.JUNK_RESPONSE)) {
                    streamError(502, "PH");
                }
                return;
            }
            onResponse(r);
        }
        if (msg instanceof HttpContent c) {
            onResponseContent(c);
        }
    }

    private void onResponse(HttpResponse r) {
        int code = r.status().code();
        HttpVersion clientVersion = tx.request.protocolVersion();
        if (code >= 100 && code < 200 && code != 101) {
            // Interim answer (100 Continue): relayed as is, the final response follows.
            interim = true;
            encoder.head = false;
            accounting.responseHead(r);
            ctx.write(ServerRequests.head(r, false, false, false));
            return;
        }
        interim = false;
        io.berth.health.HealthChecks.observe(tx.server, io.berth.health.Observation.ofStatus(code)); // observe layer7
        if (retry(RetryStep.statusEvent(code))) {
            return;
        }
        accounting.responseHead(r);
        tx.response = r;
        tx.status = code;
        io.berth.proxy.StickStep.status(tx.counters, code);
        tx.tr = HttpTransaction.millisSince(tx.requestSentNanos, System.nanoTime());
        HttpRule stop = RequestSteps.response(fe, tx, r);
        if (stop != null) {
            releaseBackend(false);
            localReply(stop, "PH");
            return;
        }
        if (code == 101 && UpgradeTunnel.requested(tx.request) && UpgradeTunnel.isHttp1(ctx.pipeline())) {
            switchToTunnel(r);
            return;
        }
        responseStarted = true;
        ServerRequests.ClientHead out = ServerRequests.forClient(r, tx.head, clientVersion,
                closeClient || session.draining());
        closeDelimited = out.closeDelimited();
        closeClient = out.closeClient();
        encoder.head = tx.head;
        ctx.write(out.response());
    }

    private void onResponseContent(HttpContent c) {
        if (interim) {
            ctx.write(c);
            return;
        }
        if (!responseStarted) {
            c.release();
            return;
        }
        if (c.decoderResult().isFailure()) {
            c.release();
            abort("SD");
            return;
        }
        accounting.responseBody(c.content().readableBytes());
        ctx.write(c);
        if (c instanceof LastHttpContent) {
            finishTransaction();
        } else if (!ctx.channel().isWritable() && backend != null) {
            ctx.flush();
            // The flush may have drained the buffer (and fired writability) already: decide on the state now.
            if (!ctx.channel().isWritable()) {
                backend.config().setAutoRead(false);
            }
        }
    }

    @Override
    public void backendReadComplete() {
        ctx.flush();
    }

    @Override
    public void backendWritabilityChanged() {
        updateClientRead();
    }

    @Override
    public void backendClosed() {
        String killed = io.berth.health.ServerSessions.killLetter(backend); // D/U: cut by a state change
        backend = null;
        backendReady = false;
        if (tx == null || closing) {
            return;
        }
        if (!responseStarted) {
            io.berth.health.HealthChecks.observe(tx.server, io.berth.health.Observation.HTTP_BROKEN_PIPE);
            if (!retry(io.berth.model.RetryOn.EMPTY_RESPONSE) && !(connector != null && connector.reused()
                    && retry(io.berth.model.RetryOn.CONN_FAILURE))) {
                streamError(502, "SH");
            }
        } else {
            abort(killed != null ? killed + "D" : "SD");
        }
    }

    private void serverTimeout() {
        if (tx == null || closing) {
            return;
        }
        if (!responseStarted) {
            io.berth.health.HealthChecks.observe(tx.server, io.berth.health.Observation.HTTP_READ_TIMEOUT);
            if (!retry(io.berth.model.RetryOn.RESPONSE_TIMEOUT)) {
                streamError(504, "sH");
            }
        } else {
            abort("sD");
        }
    }

    /** A layer-7 retry ({@code retry-on}): drop this server connection, send the kept request again. */
    private boolean retry(io.berth.model.RetryOn event) {
        if (responseStarted || !(RetryStep.allows(connector, event, l7 != null)
                || RetryStep.replaysIdempotent(connector, tx, event, l7 != null))) {
            return false;
        }
        Channel ch = detachBackend();
        backendHandler = null;
        if (ch != null) {
            ch.close();
        }
        interim = false;
        tx.response = null;
        tx.tr = HttpTransaction.NEVER;
        return connector.retryAfterResponse();
    }

    /**
     * {@code timeout client} while the request is still arriving. A request wholly received (a bodiless GET whose
     * server connection is still being retried, say) is past the client's part: HAProxy then waits for the server.
     */
    private void clientTimeout() {
        if (tx == null || closing || requestReceived()) {
            return;
        }
        abort("cD");
    }


    /**
     * The server accepted an Upgrade (101): the 101 goes to the client, the transaction is logged, and both
     * connections leave HTTP for an {@link UpgradeTunnel}; this handler retires from the client connection.
     */
    private void switchToTunnel(HttpResponse r) {
        responseStarted = true;
        requestDone = true;
        Channel server = detachBackend();
        backendHandler = null;
        io.berth.model.TimeoutsSpec beTimeouts = tx.backend.spec().timeouts();
        ctx.writeAndFlush(UpgradeTunnel.clientHead(r));
        endTransaction();
        closing = true;
        cancelWait();
        releasePending();
        counter.listener(null);
        UpgradeTunnel.start(ctx.channel(), server, fe.spec().timeouts(), beTimeouts);
    }

    /** The response was relayed completely: pool or close the server side, log, then next request or close. */
    private void finishTransaction() {
        boolean reusable = requestDone && !closeDelimited && mode == HttpConnectionMode.KEEP_ALIVE
                && HttpUtil.isKeepAlive(tx.response) && HttpUtil.isKeepAlive(serverRequest);
        releaseBackend(reusable);
        boolean keepAlive = !closeClient && requestDone;
        endTransaction();
        nextRequestOrClose(keepAlive);
    }

    /**
     * Sends a pre-rendered answer of HAProxy's stream layer (502, 503, 504...). The client connection stays open
     * for its next request when the request was wholly received and keep-alive applies (HAProxy 2.6 keeps it:
     * two requests on one connection to a dead server get two 503s), else it closes once flushed.
     */
    private void streamError(int status, String termination) {
        tx.status = status;
        tx.termination = termination;
        if (connector != null) {
            connector.cancel();
        }
        releaseBackend(false);
        byte[] page = ErrorPages.stream(status);
        accounting.localAnswer(page);
        counter.writeRaw(Unpooled.wrappedBuffer(page));
        boolean keepAlive = !closeClient && requestReceived();
        endTransaction();
        nextRequestOrClose(keepAlive);
    }

    /**
     * The whole request is here: forwarded already, its last part waits in {@link #pending}, or it has no body
     * (its empty last part may not have been read yet).
     */
    private boolean requestReceived() {
        if (requestDone || tx != null && !HttpUtil.isTransferEncodingChunked(tx.request)
                && HttpUtil.getContentLength(tx.request, 0L) == 0) {
            return true;
        }
        for (HttpObject o : pending) {
            if (o instanceof HttpRequest) {
                return false;
            }
            if (o instanceof LastHttpContent) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers a deny/return/redirect rule or a local service. Like HAProxy 2.6, the client connection stays open
     * for its next request unless the client asked to close (the rest of a request body is read and dropped).
     */
    private void localReply(HttpRule rule, String denyTermination) {
        tx.status = rule.status();
        if (rule.action() == HttpRule.Action.DENY) {
            tx.termination = denyTermination;
        }
        releaseBackend(false);
        boolean keepAlive = !closeClient && (rule.action() != HttpRule.Action.REDIRECT || !Redirect.closes(tx));
        if (rule.action() == HttpRule.Action.DENY) {
            io.berth.proxy.TrafficStep.denied(fe, tx.backend);
            io.berth.proxy.StickStep.denied(tx.counters);
        }
        byte[] reply = rule.action() == HttpRule.Action.USE_SERVICE ? Services.answer(rule, tx)
                : LocalReplies.render(rule, tx);
        accounting.localAnswer(reply);
        counter.writeRaw(Unpooled.wrappedBuffer(reply));
        discardBody = true;
        endTransaction();
        nextRequestOrClose(keepAlive);
    }

    /** After an answer: wait for the client's next request (keep-alive), or close once the answer is flushed. */
    private void nextRequestOrClose(boolean keepAlive) {
        if (!keepAlive) {
            closeAfterFlush();
            return;
        }
        ctx.flush();
        wait.arm(true);
        drain();
    }

    /** The exchange broke midway: no answer possible, close both sides. */
    private void abort(String termination) {
        tx.termination = termination;
        releaseBackend(false);
        endTransaction();
        closeNow();
    }

    /** A request the parser refused (400, 422): HAProxy's raw page, a {@code <BADREQ>} log line, close. */
    private void parserError(int status, String termination) {
        long now = System.nanoTime();
        RequestChecks.refuse(counter, session, status, termination, wait.startNanos(now),
                wait.startEpochMillis(System.currentTimeMillis()), now, true);
        closeAfterFlush();
    }

    /** Unhooks the server connection from this transaction (its timer stopped) and returns it, or null. */
    private Channel detachBackend() {
        if (serverTimer != null) {
            serverTimer.stop();
        }
        Channel ch = backend;
        backend = null;
        backendReady = false;
        if (ch != null) {
            backendHandler.detach();
        }
        return ch;
    }

    /** Ends the server side of the transaction: the connection goes back to the pool when reusable, else closes. */
    private void releaseBackend(boolean reusable) {
        Channel ch = detachBackend();
        if (ch == null) {
            return;
        }
        if (reusable && ch.isActive()) {
            ch.config().setAutoRead(true);
            BackendPool.current().release(backendHandler.server, ch);
            lastBackend = ch;
        } else {
            ch.close();
        }
        backendHandler = null;
    }

    /** Counters back, then the httplog line (HAProxy logs beconn/srvconn without the finished stream). */
    private void endTransaction() {
        HttpTransaction t = tx;
        tx = null;
        if (l7 != null) {
            l7.release();
            l7 = null;
        }
        if (clientTimer != null) {
            clientTimer.stop();
        }
        if (connector != null) {
            connector.release();
            connector = null;
        }
        accounting.end(t);
    }


    private void updateClientRead() {
        boolean want = !closing && pending.isEmpty() && (backend == null || backend.isWritable());
        // Re-arming reads on a socket whose input is already shut fails in epoll (epoll_ctl ENOENT).
        if (ctx.channel() instanceof DuplexChannel d && d.isInputShutdown()) {
            return;
        }
        if (ctx.channel().config().isAutoRead() != want) {
            ctx.channel().config().setAutoRead(want);
        }
    }

    /** No complete request head in time: an idle keep-alive connection closes quietly, anything else gets 408. */
    private void requestTimeout() {
        if (tx != null || closing) {
            return;
        }
        if (wait.idleKeepAlive()) {
            closeNow();
            return;
        }
        // option dontlognull: a connection that sent nothing at all is not logged
        boolean log = !(counter.in == 0 && fe.spec().options().dontLogNull());
        RequestChecks.refuse(counter, session, 408, "cR", wait.startNanos(session.acceptNanos()),
                wait.startEpochMillis(session.acceptEpochMillis()), System.nanoTime(), log);
        closeAfterFlush();
    }

    private void cancelWait() {
        if (wait != null) {
            wait.cancel();
        }
    }

    private void closeAfterFlush() {
        closing = true;
        cancelWait();
        releasePending();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeNow() {
        closing = true;
        cancelWait();
        releasePending();
        ctx.close();
    }

    private void releasePending() {
        HttpObject o;
        while ((o = pending.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
