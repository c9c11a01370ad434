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
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The transaction side of the HTTP/1.1 proxy: runs one request at a time from its head to the httplog line. It runs
 * frontend rules, routing and backend rules ({@link RequestSteps}), gets a server connection through {@link
 * BackendConnector} (reusing idle ones as HAProxy's {@code http-reuse safe}) and holds it in a {@link BackendLink},
 * streams the request body to the server and the response back with back-pressure both ways, retries on {@code
 * retry-on} events, and ends each transaction with counters and the log line ({@link TransactionAccounting}).
 * HAProxy's own answers are written byte for byte: the stream's (502/503/504) and deny/return/redirect keep the
 * connection for the next request as HAProxy 2.6 does. The client connection itself (queue, reading, request
 * timeouts, closing) is its {@link FrontendHttpHandler}'s, which owns this relay (one per client connection, reused
 * for each of its transactions) and is called back to read on, wait for the next request or close. Every method runs
 * on the connection's event loop, which its server connections share.
 */
final class TransactionRelay implements BackendHttpHandler.Exchange, BackendConnector.Outcome {
    private final FrontendHttpHandler client;
    private final Session session;
    private final RuntimeFrontend fe;
    private final ByteCounter counter;
    private final FrontendResponseEncoder encoder;
    private final TransactionAccounting accounting;
    /** The server connection of the current transaction, and the one the previous transaction pooled. */
    private final BackendLink link = new BackendLink();
    private ChannelHandlerContext ctx;

    // The current transaction.
    private HttpTransaction tx;
    private BackendConnector connector;
    /** The request kept for a layer-7 retry ({@code retry-on}), or null. */
    private RetryStep.RequestCopy l7;
    private HttpConnectionMode mode;
    private HttpRequest serverRequest;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean interim;
    private boolean discardBody;
    private boolean closeClient;
    private boolean closeDelimited;
    /** The server persistence designated (cookie, stick table), to tell balanced picks apart ({@code lbtot}). */
    private Server persistentChoice;
    private IdleTimer clientTimer;

    TransactionRelay(FrontendHttpHandler client, Session session, ByteCounter counter,
            FrontendResponseEncoder encoder) {
        this.client = client;
        this.session = session;
        this.fe = session.frontend();
        this.counter = counter;
        this.encoder = encoder;
        this.accounting = new TransactionAccounting(fe, counter);
    }

    /** The client connection's context (its HTTP handler's), where responses are written. */
    void bind(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }


    // What the client connection asks.

    /** True while a transaction runs (from its request head to its log line). */
    boolean active() {
        return tx != null;
    }

    /** Client bytes arrived: {@code timeout client} counts from now. */
    void clientBytes() {
        if (clientTimer != null) {
            clientTimer.touch();
        }
    }

    /** True when a queued body part can be taken now: dropped (no transaction, or body discarded) or forwarded. */
    boolean takesContent() {
        return tx == null || discardBody || link.ready();
    }

    /** Takes a body part {@link #takesContent()} allowed: forwards it to the server, or drops it (still counted). */
    void content(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            c.release();
            brokenBody();
            return;
        }
        if (tx == null || discardBody) {
            if (tx != null) {
                accounting.requestBody(c);
            }
            if (c instanceof LastHttpContent) {
                requestDone = true;
            }
            c.release();
            return;
        }
        forwardContent(c);
    }

    /** True unless a server connection is in use and its write buffer is full. */
    boolean backendWritable() {
        return link.writable();
    }

    /** The client's read burst ended: send what was written to the server. */
    void flushBackend() {
        link.flushIfReady();
    }

    /** Back-pressure from the client: read the server only while the client can take more. */
    void clientWritabilityChanged(boolean writable) {
        link.clientWritable(writable);
    }

    /** The client half-closed or the proxy stops: the connection closes after the current response. */
    void closeAfterResponse() {
        closeClient = true;
    }

    /** The client connection closed: the current transaction, if any, ends as a client abort (CD/CH). */
    void clientClosed() {
        if (tx != null) {
            tx.termination = responseStarted || !requestDone ? "CD" : "CH";
            if (connector != null) {
                connector.cancel();
            }
            link.release(false);
            endTransaction();
        }
    }


    // The request, to the server.

    /** Starts the transaction {@code next} for the request head {@code req}: rules, routing, then a connection. */
    void start(HttpTransaction next, HttpRequest req) {
        accounting.start(req, UpgradeTunnel.isHttp1(ctx.pipeline()));
        tx = next;
        tx.requestCaptures = HeaderCaptures.take(fe.requestCaptures(), req.headers());
        tx.responseCaptures = HeaderCaptures.none(fe.responseCaptures());
        tx.requestCookie = HeaderCaptures.requestCookie(fe.spec().cookieCapture(), req.headers());
        requestDone = responseStarted = interim = discardBody = closeDelimited = false;
        mode = ServerRequests.mode(fe, null);
        closeClient = !HttpUtil.isKeepAlive(req) || mode == HttpConnectionMode.CLOSE || session.draining();
        clientTimer = new IdleTimer(ctx.channel().eventLoop(), fe.spec().timeouts().client(), this::clientTimeout);
        clientTimer.start();

        RequestSteps.Decision decision = RequestSteps.request(fe, tx, req);
        if (decision.reply() != null) {
            localReply(decision.reply(), false);
            return;
        }
        if (decision.noBackend()) {
            streamError(503, "SC");
            return;
        }
        if (decision.rejected()) {
            abort("PR");
            return;
        }
        RuntimeBackend be = tx.backend;
        Server persistent = decision.persistent();
        mode = ServerRequests.mode(fe, be);
        closeClient |= mode == HttpConnectionMode.CLOSE;
        serverRequest = ServerRequests.forServer(tx, fe, be, mode);
        BackendPool pool = BackendPool.current();
        Channel preferred = link.preferred();
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
        if (tx == null || client.closing) {
            channel.close();
            return;
        }
        tx.server = server;
        session.routedTo(tx.backend.name(), server.name());
        io.berth.proxy.TrafficStep.connected(tx.backend, server, true, server != persistentChoice, reused,
                System.currentTimeMillis());
        RetryStep.connected(tx, connector, reused);
        link.attach(server, channel, this, tx.head, ctx.channel().isWritable(), new IdleTimer(
                ctx.channel().eventLoop(), tx.backend.spec().timeouts().server(), this::serverTimeout));
        channel.write(serverRequest);
        if (l7 != null) {
            l7.resend(channel);
        } else if (connector.layer7Retries() || reused || RetryStep.replayable(tx)) {
            // a reused connection may turn out dead before answering: HAProxy then retries the request
            l7 = RetryStep.capture(client.pending, tx.request);
        }
        tx.requestSentNanos = System.nanoTime();
        link.markReady();
        client.drain();
        channel.flush();
    }

    @Override
    public void failed(Server server, String termination) {
        if (tx == null || client.closing) {
            return;
        }
        tx.server = server;
        RetryStep.failed(tx, connector);
        streamError(503, termination);
    }

    private void forwardContent(HttpContent c) {
        accounting.requestBody(c);
        link.write(c);
        if (c instanceof LastHttpContent) {
            requestDone = true;
            clientTimer.stop();
            link.flush();
        } else if (!link.writable()) {
            link.flush();
        }
    }


    // The response, to the client.

    @Override
    public void backendRead(HttpObject msg) {
        if (tx == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        link.touch();
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure() || RequestChecks.transferEncodingStatus(r) != 0) {
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
        // counted as the server sent it: HAProxy counts a header an http-response rule adds in neither bout nor %B
        accounting.responseHead(r);
        tx.response = r;
        tx.status = code;
        tx.serverStatus = code;
        if (tx.responseCaptures != null) {
            tx.responseCaptures = HeaderCaptures.take(fe.responseCaptures(), r.headers());
        }
        tx.responseCookie = HeaderCaptures.responseCookie(fe.spec().cookieCapture(), r.headers());
        io.berth.proxy.StickStep.status(tx.counters, code);
        tx.tr = HttpTransaction.millisSince(tx.requestSentNanos, System.nanoTime());
        HttpRule stop = RequestSteps.response(fe, tx, r);
        if (stop != null) {
            link.release(false);
            localReply(stop, true);
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
        accounting.responseBody(c);
        ctx.write(c);
        if (c instanceof LastHttpContent) {
            finishTransaction();
        } else if (!ctx.channel().isWritable() && link.attached()) {
            ctx.flush();
            // The flush may have drained the buffer (and fired writability) already: decide on the state now.
            if (!ctx.channel().isWritable()) {
                link.pauseReading();
            }
        }
    }

    @Override
    public void backendReadComplete() {
        ctx.flush();
    }

    @Override
    public void backendWritabilityChanged() {
        client.updateClientRead();
    }

    @Override
    public void backendClosed() {
        String killed = link.closed(); // D/U: cut by a state change
        if (tx == null || client.closing) {
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
        if (tx == null || client.closing) {
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
        Channel ch = link.take();
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
        if (tx == null || client.closing || requestReceived()) {
            return;
        }
        abort("cD");
    }


    // How a transaction ends.

    /**
     * The server accepted an Upgrade (101): the 101 goes to the client, the transaction is logged, and both
     * connections leave HTTP for an {@link UpgradeTunnel}; the client's handler retires from its connection.
     */
    private void switchToTunnel(HttpResponse r) {
        responseStarted = true;
        requestDone = true;
        Channel server = link.take();
        io.berth.model.TimeoutsSpec beTimeouts = tx.backend.spec().timeouts();
        ctx.writeAndFlush(UpgradeTunnel.clientHead(r));
        endTransaction();
        client.retire();
        UpgradeTunnel.start(ctx.channel(), server, fe.spec().timeouts(), beTimeouts);
    }

    /** The response was relayed completely: pool or close the server side, log, then next request or close. */
    private void finishTransaction() {
        boolean reusable = requestDone && !closeDelimited && mode == HttpConnectionMode.KEEP_ALIVE
                && HttpUtil.isKeepAlive(tx.response) && HttpUtil.isKeepAlive(serverRequest);
        link.release(reusable);
        boolean keepAlive = !closeClient && requestDone;
        endTransaction();
        client.nextRequestOrClose(keepAlive);
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
        link.release(false);
        byte[] page = ErrorPages.stream(status);
        accounting.localAnswer(page);
        counter.writeRaw(Unpooled.wrappedBuffer(page));
        boolean keepAlive = !closeClient && requestReceived();
        endTransaction();
        client.nextRequestOrClose(keepAlive);
    }

    /**
     * The whole request is here: forwarded already, its last part waits in the client's queue, or it has no body
     * (its empty last part may not have been read yet).
     */
    private boolean requestReceived() {
        if (requestDone || tx != null && !HttpUtil.isTransferEncodingChunked(tx.request)
                && HttpUtil.getContentLength(tx.request, 0L) == 0) {
            return true;
        }
        return client.lastPartQueued();
    }

    /**
     * Answers a deny/return/redirect rule or a local service, of the request's rules or ({@code response}) of the
     * response's, replacing the server's answer. Like HAProxy 2.6, the client connection stays open for its next
     * request unless the client asked to close (the rest of a request body is read and dropped). A denied request
     * counts in {@code dreq} and the tracked {@code http_err}, a denied response in {@code dresp} (the server's
     * too), as HAProxy counts them.
     */
    private void localReply(HttpRule rule, boolean response) {
        tx.status = rule.status();
        if (rule.action() == HttpRule.Action.DENY) {
            tx.termination = response ? "PH" : "PR";
        }
        link.release(false);
        boolean keepAlive = !closeClient && (rule.action() != HttpRule.Action.REDIRECT || !Redirect.closes(tx));
        if (rule.action() == HttpRule.Action.DENY && response) {
            io.berth.proxy.TrafficStep.deniedResponse(fe, tx.backend, tx.server);
        } else if (rule.action() == HttpRule.Action.DENY) {
            io.berth.proxy.TrafficStep.denied(fe, tx.backend);
            io.berth.proxy.StickStep.denied(tx.counters);
        }
        byte[] reply = rule.action() == HttpRule.Action.USE_SERVICE ? Services.answer(rule, tx)
                : LocalReplies.render(rule, tx);
        accounting.localAnswer(reply);
        counter.writeRaw(Unpooled.wrappedBuffer(reply));
        discardBody = true;
        endTransaction();
        client.nextRequestOrClose(keepAlive);
    }

    /**
     * The parser refused a part of the request body (bad chunk size or framing, bad trailer) after its head went
     * on: the server's connection is cut mid-body (never a well-ended body it would act on), and the client gets
     * HAProxy's 400 page and a close ({@code PH--} in the log, as HAProxy 2.6 logs it) or, once the response has
     * started, only the close.
     */
    private void brokenBody() {
        requestDone = true;
        if (tx == null) {
            client.closeNow();
        } else if (responseStarted) {
            abort("CD");
        } else {
            closeClient = true;
            streamError(400, "PH");
        }
    }

    /** The exchange broke midway: no answer possible, close both sides. */
    private void abort(String termination) {
        tx.termination = termination;
        link.release(false);
        endTransaction();
        client.closeNow();
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
}
