package io.berth.proxy.http;

import io.berth.log.HttpLogEntry;
import io.berth.model.HttpConnectionMode;
import io.berth.model.TimeoutsSpec;
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
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 proxy for one client connection: takes requests one at a time (pipelined ones wait, decoded, in
 * {@link #pending}), runs frontend rules, routing and backend rules, gets a server connection through
 * {@link BackendConnector} (reusing idle ones as HAProxy's {@code http-reuse safe}), streams the request body to
 * the server and the response back with back-pressure both ways, and ends each transaction with counters and the
 * httplog line. HAProxy's own answers (400/408/422 from the parser, 403/502/503/504 from the stream) are written
 * byte for byte and followed by a close. One instance per client connection; every method runs on its event loop,
 * which its server connections share.
 */
final class FrontendHttpHandler extends ChannelInboundHandlerAdapter
        implements BackendHttpHandler.Exchange, ByteCounter.Listener {
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
    private boolean keepAliveWait;
    private boolean requestBytesSeen;
    private long requestStartNanos;
    private long requestStartEpochMillis;
    private ScheduledFuture<?> requestTimer;
    private boolean closing;
    private int requestCount;
    private Channel lastBackend;

    // The current transaction.
    private HttpTransaction tx;
    private BackendConnector connector;
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
    private long bytesOutAtStart;
    private IdleTimer clientTimer;
    private IdleTimer serverTimer;

    FrontendHttpHandler(Session session, ByteCounter counter, FrontendResponseEncoder encoder) {
        this.session = session;
        this.fe = session.frontend();
        this.counter = counter;
        this.encoder = encoder;
        counter.listener(this);
    }

    // ------------------------------------------------------------------ client side events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armRequestTimer(false);
        ctx.fireChannelActive();
    }

    @Override
    public void bytesIn(int n) {
        if (clientTimer != null) {
            clientTimer.touch();
        }
        if (tx == null && !requestBytesSeen) {
            requestBytesSeen = true;
            requestStartNanos = System.nanoTime();
            requestStartEpochMillis = System.currentTimeMillis();
            if (keepAliveWait) {
                // HAProxy: http-keep-alive covers the idle wait; from the first byte, http-request applies.
                keepAliveWait = false;
                armRequestTimer(false);
            }
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
        cancelRequestTimer();
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

    // ------------------------------------------------------------------ request side

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
        cancelRequestTimer();
        if (req.decoderResult().isFailure()) {
            parserError(400, "PR");
            return;
        }
        int te = checkTransferEncoding(req);
        if (te != 0) {
            parserError(te, "PR");
            return;
        }
        requestCount++;
        fe.totalRequests.incrementAndGet();
        long now = System.nanoTime();
        tx = new HttpTransaction(session, req, requestBytesSeen ? requestStartNanos : now,
                requestBytesSeen ? requestStartEpochMillis : System.currentTimeMillis());
        requestBytesSeen = false;
        keepAliveWait = false;
        bytesOutAtStart = counter.out;
        requestDone = responseStarted = interim = discardBody = closeDelimited = backendReady = false;
        mode = ServerRequests.mode(fe, null);
        closeClient = !HttpUtil.isKeepAlive(req) || mode == HttpConnectionMode.CLOSE || session.draining();
        clientTimer = new IdleTimer(ctx.channel().eventLoop(), fe.spec().timeouts().client(), this::clientTimeout);
        clientTimer.start();

        HttpRule stop = HttpRuleRunner.apply(fe.requestRules(), tx, req.headers());
        if (stop != null) {
            localReply(stop, "PR");
            return;
        }
        RuntimeBackend be = route();
        if (be == null) {
            streamError(503, "SC");
            return;
        }
        tx.backend = be;
        be.currentConns.incrementAndGet();
        be.totalConns.incrementAndGet();
        stop = HttpRuleRunner.apply(be.requestRules(), tx, req.headers());
        if (stop != null) {
            localReply(stop, "PR");
            return;
        }
        mode = ServerRequests.mode(fe, be);
        closeClient |= mode == HttpConnectionMode.CLOSE;
        serverRequest = ServerRequests.forServer(tx, fe, be, mode);
        BackendPool pool = BackendPool.current();
        Channel preferred = lastBackend;
        // http-reuse safe: the first request of a connection always gets a fresh server connection.
        boolean mayReuse = requestCount > 1;
        connector = new BackendConnector(ctx.channel().eventLoop(), session, be, tx, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                BackendHttpHandler.install(ch, null, MAX_HEAD);
            }
        }, mayReuse ? s -> pool.acquire(s, preferred) : null, new BackendConnector.Outcome() {
            @Override
            public void connected(Server server, Channel channel, boolean reused) {
                onConnected(server, channel, reused);
            }

            @Override
            public void failed(Server server, String termination) {
                onConnectFailed(server, termination);
            }
        });
        connector.start();
    }

    /** HAProxy 2.6 answers 400 to a transfer-coding list not ending with chunked, 422 to one with other codings. */
    private static int checkTransferEncoding(HttpRequest req) {
        if (!req.headers().contains("transfer-encoding")) {
            return 0;
        }
        String[] codings = String.join(",", req.headers().getAll("transfer-encoding")).split(",");
        String last = codings[codings.length - 1].trim().toLowerCase(Locale.ROOT);
        if (!last.equals("chunked")) {
            return 400;
        }
        return codings.length > 1 ? 422 : 0;
    }

    /** use_backend rules in order, then default_backend. */
    private RuntimeBackend route() {
        for (RuntimeFrontend.Route r : fe.routes()) {
            if (r.condition().test(tx)) {
                return r.backend();
            }
        }
        return fe.defaultBackend();
    }

    private void onConnected(Server server, Channel channel, boolean reused) {
        if (tx == null || closing) {
            channel.close();
            return;
        }
        tx.server = server;
        tx.tw = 0;
        tx.tc = reused ? 0 : connector.connectMillis();
        tx.retries = connector.retries();
        tx.redispatched = connector.redispatched();
        backend = channel;
        backendHandler = BackendHttpHandler.of(channel);
        backendHandler.server = server;
        backendHandler.attach(this, tx.head);
        channel.config().setAutoRead(ctx.channel().isWritable());
        serverTimer = new IdleTimer(ctx.channel().eventLoop(), tx.backend.spec().timeouts().server(),
                this::serverTimeout);
        serverTimer.start();
        channel.write(serverRequest);
        tx.requestSentNanos = System.nanoTime();
        backendReady = true;
        drain();
        channel.flush();
    }

    private void onConnectFailed(Server server, String termination) {
        if (tx == null || closing) {
            return;
        }
        tx.server = server;
        tx.tw = server == null ? HttpTransaction.NEVER : 0;
        tx.retries = connector.retries();
        tx.redispatched = connector.redispatched();
        streamError(503, termination);
    }

    private void forwardContent(HttpContent c) {
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

    // ------------------------------------------------------------------ response side

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
                } else {
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
            ctx.write(ServerRequests.forClient(r, false, false, false));
            return;
        }
        interim = false;
        tx.response = r;
        tx.status = code;
        tx.tr = HttpTransaction.millisSince(tx.requestSentNanos, System.nanoTime());
        HttpRule stop = HttpRuleRunner.apply(tx.backend.responseRules(), tx, r.headers());
        if (stop == null) {
            stop = HttpRuleRunner.apply(fe.responseRules(), tx, r.headers());
        }
        if (stop != null) {
            releaseBackend(false);
            localReply(stop, "PH");
            return;
        }
        responseStarted = true;
        boolean bodyless = tx.head || code == 204 || code == 304;
        boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
        boolean chunk = false;
        if (!bodyless && !framed) {
            closeDelimited = true;
            if (clientVersion.equals(HttpVersion.HTTP_1_1) && !closeClient) {
                chunk = true;
            } else {
                closeClient = true;
            }
        }
        if (session.draining()) {
            closeClient = true;
        }
        encoder.head = tx.head;
        ctx.write(ServerRequests.forClient(r, closeClient, chunk, !clientVersion.equals(HttpVersion.HTTP_1_1)));
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
        ctx.write(c);
        if (c instanceof LastHttpContent) {
            finishTransaction();
        } else if (!ctx.channel().isWritable() && backend != null) {
            ctx.flush();
            backend.config().setAutoRead(false);
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
        backend = null;
        backendReady = false;
        if (tx == null || closing) {
            return;
        }
        if (!responseStarted) {
            streamError(502, "SH");
        } else {
            abort("SD");
        }
    }

    private void serverTimeout() {
        if (tx == null || closing) {
            return;
        }
        if (!responseStarted) {
            streamError(504, "sH");
        } else {
            abort("sD");
        }
    }

    private void clientTimeout() {
        if (tx == null || closing || requestDone) {
            return;
        }
        abort("cD");
    }

    // ------------------------------------------------------------------ endings

    /** The response was relayed completely: pool or close the server side, log, then next request or close. */
    private void finishTransaction() {
        boolean reusable = requestDone && !closeDelimited && mode == HttpConnectionMode.KEEP_ALIVE
                && HttpUtil.isKeepAlive(tx.response) && HttpUtil.isKeepAlive(serverRequest);
        releaseBackend(reusable);
        boolean close = closeClient || !requestDone;
        endTransaction();
        if (close) {
            closeAfterFlush();
            return;
        }
        ctx.flush();
        keepAliveWait = true;
        armRequestTimer(true);
        drain();
    }

    /** Sends a pre-rendered answer of HAProxy's stream layer (403, 502, 503, 504...), then closes. */
    private void streamError(int status, String termination) {
        tx.status = status;
        tx.termination = termination;
        if (connector != null) {
            connector.cancel();
        }
        releaseBackend(false);
        counter.writeRaw(Unpooled.wrappedBuffer(ErrorPages.stream(status)));
        endTransaction();
        closeAfterFlush();
    }

    /**
     * Answers a deny/return rule. HAProxy ends the stream after such a reply (its {@code http_reply_and_close}),
     * so the client connection closes once the answer is flushed.
     */
    private void localReply(HttpRule rule, String denyTermination) {
        tx.status = rule.status();
        if (rule.action() == HttpRule.Action.DENY) {
            tx.termination = denyTermination;
        }
        releaseBackend(false);
        counter.writeRaw(Unpooled.wrappedBuffer(LocalReplies.render(rule, tx)));
        discardBody = true;
        endTransaction();
        closeAfterFlush();
    }

    /** The exchange broke midway: no answer possible, close both sides. */
    private void abort(String termination) {
        tx.termination = termination;
        releaseBackend(false);
        endTransaction();
        closeNow();
    }

    /** A request the parser refused (400, 408, 422): HAProxy's raw page, a {@code <BADREQ>} log line, close. */
    private void parserError(int status, String termination) {
        long now = System.nanoTime();
        long start = requestBytesSeen ? requestStartNanos : now;
        long epoch = requestBytesSeen ? requestStartEpochMillis : System.currentTimeMillis();
        counter.writeRaw(Unpooled.wrappedBuffer(ErrorPages.parser(status)));
        logBadRequest(status, termination, start, epoch, now);
        closeAfterFlush();
    }

    private void logBadRequest(int status, String termination, long startNanos, long epochMillis, long nowNanos) {
        if (!fe.spec().options().httpLog()) {
            return;
        }
        fe.log().http(new HttpLogEntry(session.clientIp(), session.clientPort(), epochMillis, fe.name(), fe.name(),
                "<NOSRV>", -1, -1, -1, -1, HttpTransaction.millisSince(startNanos, nowNanos), status, 0, "-", "-",
                termination + "--", session.runtime().currentConns.get(), fe.currentConns.get(), 0, 0, 0, false, 0, 0,
                "<BADREQ>"));
    }

    private void releaseBackend(boolean reusable) {
        if (serverTimer != null) {
            serverTimer.stop();
        }
        Channel ch = backend;
        backend = null;
        backendReady = false;
        if (ch == null) {
            return;
        }
        backendHandler.detach();
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
        if (clientTimer != null) {
            clientTimer.stop();
        }
        if (connector != null) {
            connector.release();
            connector = null;
        }
        if (t.backend != null) {
            t.backend.currentConns.decrementAndGet();
        }
        t.bytesOut = counter.out - bytesOutAtStart;
        if (fe.spec().options().httpLog()) {
            fe.log().http(t.logEntry(System.nanoTime()));
        }
    }

    // ------------------------------------------------------------------ connection plumbing

    private void updateClientRead() {
        boolean want = !closing && pending.isEmpty() && (backend == null || backend.isWritable());
        if (ctx.channel().config().isAutoRead() != want) {
            ctx.channel().config().setAutoRead(want);
        }
    }

    private void armRequestTimer(boolean keepAlive) {
        cancelRequestTimer();
        TimeoutsSpec t = fe.spec().timeouts();
        long ms = keepAlive ? t.effectiveHttpKeepAlive() : t.effectiveHttpRequest();
        keepAliveWait = keepAlive;
        if (ms == TimeoutsSpec.UNSET) {
            return;
        }
        requestTimer = ctx.channel().eventLoop().schedule(this::requestTimeout, ms, TimeUnit.MILLISECONDS);
    }

    private void cancelRequestTimer() {
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
    }

    /** No complete request head in time: an idle keep-alive connection closes quietly, anything else gets 408. */
    private void requestTimeout() {
        requestTimer = null;
        if (tx != null || closing) {
            return;
        }
        if (keepAliveWait && !requestBytesSeen) {
            closeNow();
            return;
        }
        long now = System.nanoTime();
        counter.writeRaw(Unpooled.wrappedBuffer(ErrorPages.parser(408)));
        boolean nothing = counter.in == 0;
        if (!(nothing && fe.spec().options().dontLogNull())) {
            long start = requestBytesSeen ? requestStartNanos : session.acceptNanos();
            long epoch = requestBytesSeen ? requestStartEpochMillis : session.acceptEpochMillis();
            logBadRequest(408, "cR", start, epoch, now);
        }
        closeAfterFlush();
    }

    private void closeAfterFlush() {
        closing = true;
        cancelRequestTimer();
        releasePending();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeNow() {
        closing = true;
        cancelRequestTimer();
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
