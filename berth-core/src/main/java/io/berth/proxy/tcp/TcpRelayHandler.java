package io.berth.proxy.tcp;

import io.berth.log.TcpLogEntry;
import io.berth.model.TimeoutsSpec;
import io.berth.proxy.BackendConnector;
import io.berth.proxy.IdleTimer;
import io.berth.proxy.Routing;
import io.berth.proxy.Session;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.berth.server.Server;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * TCP mode for one client connection: choose the backend (use_backend conditions on addresses, default_backend),
 * balance and connect with retries, then relay bytes both ways on the one event loop. A FIN on one side becomes a
 * shutdown of output on the other (half-close); the connection ends when both directions are done or a side
 * resets. Back-pressure: a side stops reading while the other cannot take more. Timeouts: {@code timeout tunnel}
 * when set covers both sides, else {@code timeout client}/{@code timeout server} per side. Event-loop confined.
 */
final class TcpRelayHandler extends ChannelInboundHandlerAdapter {
    private final Session session;
    private final RuntimeFrontend fe;
    private final TcpSampleContext sample;
    private ChannelHandlerContext ctx;
    private BackendConnector connector;
    private io.berth.persist.stick.StickRules stickRules;
    private final io.berth.persist.stick.StickRules.Pending stick = new io.berth.persist.stick.StickRules.Pending();
    private Channel server;
    private boolean clientInputDone;
    private boolean serverInputDone;
    private boolean finished;
    private long bytesToClient;
    /** Client bytes received ({@code bin}). */
    private long bytesFromClient;
    private long tw = -1;
    private long tc = -1;
    private String termination = "--";
    private IdleTimer clientTimer;
    private IdleTimer serverTimer;
    /** Client bytes that arrived before the server connection was up; sent first once it is. */
    private final java.util.ArrayDeque<ByteBuf> early = new java.util.ArrayDeque<>();

    TcpRelayHandler(Session session) {
        this.session = session;
        this.fe = session.frontend();
        this.sample = new TcpSampleContext(session);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        io.berth.proxy.TrafficStep.accepted(fe, System.currentTimeMillis());
        sample.counters = io.berth.proxy.StickStep.counters(session.runtime(),
                io.berth.proxy.TcpRuleStep.connectionCounters(ctx.channel()));
        if (!io.berth.proxy.TcpRuleStep.content(fe, sample, sample.counters, false)) {
            termination = "PR"; // tcp-request content reject: SF_ERR_PRXCOND in the request phase
            sample.counters = null; // released by the rule step
            finish();
            ctx.close();
            return;
        }
        RuntimeBackend be = Routing.backendFor(fe, sample);
        if (be == null) {
            termination = "SC";
            finish();
            ctx.close();
            return;
        }
        sample.backend = be;
        be.currentConns.incrementAndGet();
        be.totalConns.incrementAndGet();
        io.berth.proxy.TrafficStep.routed(be, false, System.currentTimeMillis());
        if (!io.berth.proxy.TcpRuleStep.backendContent(fe, be, sample, sample.counters, false)) {
            termination = "PR";
            finish();
            ctx.close();
            return;
        }
        connector = new BackendConnector(ctx.channel().eventLoop(), session, be, sample,
                new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                        ch.pipeline().addLast("relay", new ServerSide());
                    }
                }, null, new BackendConnector.Outcome() {
            @Override
            public void connected(Server s, Channel channel, boolean reused) {
                onConnected(s, channel);
            }

            @Override
            public void failed(Server s, String term) {
                sample.server = s;
                tw = s == null ? -1 : 0;
                termination = term;
                finish();
                ctx.close();
            }
        });
        stickRules = io.berth.proxy.StickStep.rules(session.runtime(), be);
        connector.start(io.berth.proxy.StickStep.request(stickRules, be, sample, null, stick));
        ctx.fireChannelActive();
    }

    private void onConnected(Server s, Channel channel) {
        if (finished || !ctx.channel().isActive()) {
            channel.close();
            return;
        }
        sample.server = s;
        io.berth.proxy.TrafficStep.connected(sample.backend, s, false, true, false, System.currentTimeMillis());
        // TCP has no response headers: the stick store step runs once the server connection is up
        io.berth.proxy.StickStep.response(stickRules, sample, stick, s);
        tw = 0;
        tc = connector.connectMillis();
        server = channel;
        TimeoutsSpec fet = fe.spec().timeouts();
        TimeoutsSpec bet = sample.backend.spec().timeouts();
        long tunnel = bet.tunnel() != TimeoutsSpec.UNSET ? bet.tunnel() : fet.tunnel();
        if (tunnel != TimeoutsSpec.UNSET) {
            clientTimer = new IdleTimer(ctx.channel().eventLoop(), tunnel, () -> timeout("cD"));
            serverTimer = clientTimer;
        } else {
            clientTimer = new IdleTimer(ctx.channel().eventLoop(), fet.client(), () -> timeout("cD"));
            serverTimer = new IdleTimer(ctx.channel().eventLoop(), bet.server(), () -> timeout("sD"));
        }
        clientTimer.start();
        serverTimer.start();
        ByteBuf b;
        while ((b = early.poll()) != null) {
            server.write(b);
        }
        server.flush();
        if (clientInputDone) {
            server.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> shutdownOutput(server));
        }
        if (!clientInputDone) {
            // Re-arming reads on a socket whose input is already shut fails in epoll (epoll_ctl ENOENT).
            ctx.channel().config().setAutoRead(true);
        }
    }

    // ---- client side

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        bytesFromClient += b.readableBytes();
        if (server == null) {
            // Still connecting: keep what came and stop reading until the server is there.
            early.add(b);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        clientTimer.touch();
        serverTimer.touch();
        server.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (server != null) {
            server.flush();
            if (!server.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (server != null && !serverInputDone) {
            server.config().setAutoRead(ctx.channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            clientInputDone = true;
            if (server != null) {
                server.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> shutdownOutput(server));
            }
            maybeEnd();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        early.forEach(ByteBuf::release);
        early.clear();
        if (!(clientInputDone && serverInputDone) && "--".equals(termination) && server != null) {
            termination = "CD";
        }
        if (connector != null) {
            connector.cancel();
        }
        if (server != null) {
            server.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        finish();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    // ---- both

    private static void shutdownOutput(Channel ch) {
        if (ch instanceof DuplexChannel d && ch.isActive()) {
            d.shutdownOutput();
        }
    }

    private void maybeEnd() {
        if (clientInputDone && serverInputDone) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (server != null) {
                server.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private void timeout(String state) {
        if (finished) {
            return;
        }
        termination = state;
        ctx.close();
        if (server != null) {
            server.close();
        }
    }

    /** Once per connection: counters back, timers off, tcplog line. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (clientTimer != null) {
            clientTimer.stop();
            serverTimer.stop();
        }
        if (connector != null) {
            connector.release();
        }
        RuntimeBackend be = sample.backend;
        if (be != null) {
            be.currentConns.decrementAndGet();
        }
        io.berth.proxy.StickStep.end(sample.counters, bytesFromClient, bytesToClient);
        io.berth.proxy.TrafficStep.ended(fe, be, sample.server, 0, 0, bytesFromClient, bytesToClient, 0, 0, tw,
                tc, -1,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - session.acceptNanos()),
                connector == null ? 0 : connector.retries(), connector != null && connector.redispatched(),
                termination);
        if (!fe.spec().options().tcpLog()) {
            return;
        }
        Server s = sample.server;
        long tt = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - session.acceptNanos());
        fe.log().tcp(new TcpLogEntry(session.clientIp(), session.clientPort(), session.acceptEpochMillis(), fe.name(),
                be == null ? fe.name() : be.name(), s == null ? "<NOSRV>" : s.name(), tw, tc, tt, bytesToClient,
                termination + "--", session.runtime().currentConns.get() + session.releasedShare(),
                fe.currentConns.get() + session.releasedShare(),
                be == null ? 0 : be.currentConns.get(), s == null ? 0 : s.currentConns.get(),
                connector == null ? 0 : connector.retries(), connector != null && connector.redispatched(), 0, 0));
    }

    /** Handler on the server connection: relays to the client. */
    private final class ServerSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext sctx, Object msg) {
            if (!(msg instanceof ByteBuf b)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            serverTimer.touch();
            clientTimer.touch();
            bytesToClient += b.readableBytes();
            ctx.write(b);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext sctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                sctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext sctx) {
            if (!clientInputDone) {
                ctx.channel().config().setAutoRead(sctx.channel().isWritable());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext sctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                serverInputDone = true;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> shutdownOutput(ctx.channel()));
                maybeEnd();
                return;
            }
            sctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext sctx) {
            if (!(clientInputDone && serverInputDone) && "--".equals(termination)) {
                // cut by a state change: HAProxy 2.6 logs "D-"/"U-" in TCP mode (no phase letter is set)
                String killed = io.berth.health.ServerSessions.killLetter(sctx.channel());
                termination = killed != null ? killed + "-" : "SD";
            }
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext sctx, Throwable cause) {
            sctx.close();
        }
    }
}
