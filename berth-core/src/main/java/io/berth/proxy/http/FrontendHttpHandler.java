package io.berth.proxy.http;

import io.berth.proxy.Session;
import io.berth.runtime.RuntimeFrontend;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * The client connection side of the HTTP/1.1 proxy (one client connection, or one HTTP/2 stream): queues what the
 * decoder produces in {@link #pending} (pipelined requests wait there, decoded, until the current transaction ends;
 * body parts until a server connection takes them), turns client reading off while anything is queued or the server
 * connection cannot take more (back-pressure), waits for each request head with {@link RequestWait} ({@code timeout
 * http-request}: 408; {@code timeout http-keep-alive}: quiet close), refuses what the parser refused with HAProxy's
 * raw 400/422 and closes, and applies the closing rules (a half-closed client or a stopping proxy finishes the
 * current request, then closes). Each accepted request head becomes a transaction run by this connection's
 * {@link TransactionRelay}, which calls back here to read on, wait for the next request or close. One instance per
 * client connection, installed by {@link FrontendHttpInitializer} or {@link FrontendStreamInitializer}; every method
 * runs on the connection's event loop, which its server connections share.
 */
final class FrontendHttpHandler extends ChannelInboundHandlerAdapter implements ByteCounter.Listener {
    /** HAProxy's tune.bufsize (16384) minus tune.maxrewrite (1024): the request head must fit, else 400. */
    static final int MAX_HEAD = 15360;

    /** Fired on every connection when the proxy stops: finish the current request, then close. */
    static final Object DRAIN = new Object();

    private final Session session;
    private final RuntimeFrontend fe;
    private final ByteCounter counter;
    /** Decoded client messages not taken yet; the relay reads it to keep a request for a retry. */
    final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
    /** A request head arrived in the current read: {@link #drain} waits for the read's end. */
    private boolean headWaitsForReadEnd;
    private final TransactionRelay relay;
    private ChannelHandlerContext ctx;

    // Between requests.
    private RequestWait wait;
    /** The connection is closing or was handed to a tunnel: nothing more is read, started or answered. */
    boolean closing;
    private int requestCount;

    FrontendHttpHandler(Session session, ByteCounter counter, FrontendResponseEncoder encoder) {
        this.session = session;
        this.fe = session.frontend();
        this.counter = counter;
        this.relay = new TransactionRelay(this, session, counter, encoder);
        counter.listener(this);
    }


    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        relay.bind(ctx);
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
        relay.clientBytes();
        if (!relay.active() && wait != null) {
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
        // a head waits for the end of the read, so that a body part the parser refused in the same bytes is seen
        // with it (brokenBodyQueued): HAProxy parses what it read before it starts the stream
        if (o instanceof HttpRequest) {
            headWaitsForReadEnd = true;
        }
        if (!headWaitsForReadEnd) {
            drain();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (headWaitsForReadEnd) {
            headWaitsForReadEnd = false;
            drain();
        }
        relay.flushBackend();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        relay.clientWritabilityChanged(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent || evt == DRAIN) {
            if (evt == DRAIN) {
                session.startDraining();
            }
            if (!relay.active() && pending.isEmpty()) {
                closeNow();
            } else {
                relay.closeAfterResponse();
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
        relay.clientClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }


    /** Feeds queued messages to the transaction as far as its state allows, then sets client reading. */
    void drain() {
        while (!pending.isEmpty() && !closing) {
            HttpObject o = pending.peek();
            if (o instanceof HttpRequest req) {
                if (relay.active()) {
                    break;
                }
                pending.poll();
                onRequest(req);
                if (req instanceof HttpContent c) {
                    ReferenceCountUtil.release(c);
                }
                continue;
            }
            if (!relay.takesContent()) {
                break;
            }
            pending.poll();
            relay.content((HttpContent) o);
        }
        updateClientRead();
    }

    /**
     * A request head arrived: refused by the parser (400, 422: answered and closed), rejected by {@code
     * tcp-request content} (closed without a response), or counted and handed to the relay as a new transaction.
     */
    private void onRequest(HttpRequest req) {
        cancelWait();
        int refused = req.decoderResult().isFailure() || brokenBodyQueued() ? 400
                : RequestChecks.transferEncodingStatus(req);
        if (refused == 0) {
            refused = RequestChecks.hostStatus(req);
        }
        if (refused != 0) {
            parserError(refused, "PR");
            return;
        }
        RequestChecks.normalizeAbsoluteUri(req);
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
        wait.done();
        relay.start(next, req);
    }

    /**
     * True when a body part the parser refused (bad chunk size or framing, bad trailer) is queued for the request
     * at hand: it came with the head, and HAProxy, which parses what it has read before the stream starts, refuses
     * the whole request then ({@code <BADREQ>}, nothing sent to a server).
     */
    private boolean brokenBodyQueued() {
        for (HttpObject o : pending) {
            if (o instanceof HttpRequest) {
                return false;
            }
            if (o.decoderResult().isFailure()) {
                return true;
            }
        }
        return false;
    }

    /** True when the current request's last part is queued, before any next request. */
    boolean lastPartQueued() {
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

    /** After an answer: wait for the client's next request (keep-alive), or close once the answer is flushed. */
    void nextRequestOrClose(boolean keepAlive) {
        if (!keepAlive) {
            closeAfterFlush();
            return;
        }
        ctx.flush();
        wait.arm(true);
        drain();
    }

    /** A request the parser refused (400, 422): HAProxy's raw page, a {@code <BADREQ>} log line, close. */
    private void parserError(int status, String termination) {
        long now = System.nanoTime();
        RequestChecks.refuse(counter, session, status, termination, wait.startNanos(now),
                wait.startEpochMillis(System.currentTimeMillis()), now, true);
        closeAfterFlush();
    }

    /** Reads from the client only while nothing is queued and the server connection, if any, can take more. */
    void updateClientRead() {
        boolean want = !closing && pending.isEmpty() && relay.backendWritable();
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
        if (relay.active() || closing) {
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

    /** The connection leaves HTTP for a tunnel: this handler stops reading, waiting and counting bytes. */
    void retire() {
        closing = true;
        cancelWait();
        releasePending();
        counter.listener(null);
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

    void closeNow() {
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
