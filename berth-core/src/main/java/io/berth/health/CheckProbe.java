package io.berth.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.berth.ssl.ServerTls;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One health-check attempt: connect, and for HTTP checks send the request and judge the response with the
 * expect rules. Runs entirely on the given event loop (callbacks included) and reports exactly one
 * {@link CheckOutcome}.
 *
 * <p>Deadlines as HAProxy 2.6 applies them (src/tcpcheck.c tcpcheck_eval_connect, measured with the binary):
 * the connection must be up within {@code inter}, or within min(inter, timeout connect) when
 * {@code timeout check} is set, else L4TOUT. Once connected the response must be complete by that same
 * deadline, or — with {@code timeout check} — by max(that deadline, connected + timeout check), else L7TOUT.
 * Measured: check 300/connect 1000/inter 2000 → L7TOUT after 1001 ms; check 3000/connect 1000/inter 1000 →
 * 3001 ms; no timeout check, inter 500 → 501 ms; connect 200 → L4TOUT after 201 ms.
 *
 * <p>Over TLS ({@code check-ssl}, or {@code ssl} when the check uses the server's own address and port) the
 * handshake follows the connect within the same deadline: a plain connect check then passes as {@code L6OK}, a
 * failed handshake is {@code L6RSP} "SSL handshake failure", one still running at the deadline {@code L6TOUT}
 * (HAProxy's tcpcheck status after an SSL connection).
 */
final class CheckProbe {
    /**
     * What to do for one backend's checks; immutable and shared.
     *
     * @param request          HTTP request, or null for a plain TCP connect check
     * @param expects          the expect rules (HTTP only), evaluated in order
     * @param interMs          the server's {@code inter}
     * @param timeoutConnectMs {@code timeout connect} or -1
     * @param timeoutCheckMs   {@code timeout check} or -1
     * @param tls              TLS towards the server for checks, or null for clear checks
     * @param connect          the backend's {@code http-check connect} rule, or null for the implicit connect
     */
    record Plan(HttpCheckRequest request, List<HttpExpect> expects, long interMs, long timeoutConnectMs,
                long timeoutCheckMs, ServerTls tls, CheckConnect connect) {
        /** A plan with the implicit connect. */
        Plan(HttpCheckRequest request, List<HttpExpect> expects, long interMs, long timeoutConnectMs,
             long timeoutCheckMs, ServerTls tls) {
            this(request, expects, interMs, timeoutConnectMs, timeoutCheckMs, tls, null);
        }

        /** A clear-text check plan. */
        Plan(HttpCheckRequest request, List<HttpExpect> expects, long interMs, long timeoutConnectMs,
             long timeoutCheckMs) {
            this(request, expects, interMs, timeoutConnectMs, timeoutCheckMs, null);
        }

        long connectBudgetMs() {
            if (timeoutCheckMs > 0 && timeoutConnectMs > 0) {
                return Math.min(interMs, timeoutConnectMs);
            }
            return interMs;
        }

        boolean needsBody() {
            return expects.stream().anyMatch(HttpExpect::needsBody);
        }
    }

    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelClass;
    private final InetSocketAddress target;
    private final Plan plan;
    private final Consumer<CheckOutcome> done;
    private final long startNanos = System.nanoTime();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean connected;
    private boolean handshaking;
    private boolean finished;
    private Channel channel;
    private ScheduledFuture<?> timer;
    private long deadlineNanos;

    private CheckProbe(EventLoop loop, Class<? extends SocketChannel> channelClass, InetSocketAddress target, Plan plan,
                       Consumer<CheckOutcome> done) {
        this.loop = loop;
        this.channelClass = channelClass;
        this.target = target;
        this.plan = plan;
        this.done = done;
    }

    /** Starts a probe; {@code done} runs once, on {@code loop}. Must be called on {@code loop}. */
    static void run(EventLoop loop, Class<? extends SocketChannel> channelClass, InetSocketAddress target, Plan plan,
                    Consumer<CheckOutcome> done) {
        new CheckProbe(loop, channelClass, target, plan, done).start();
    }

    private void start() {
        deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(plan.connectBudgetMs());
        timer = loop.schedule(this::expired, plan.connectBudgetMs(), TimeUnit.MILLISECONDS);
        Bootstrap b = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Integer.MAX_VALUE) // our own timer decides
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Reader());
        ChannelFuture f = b.connect(target);
        channel = f.channel();
        f.addListener((ChannelFuture cf) -> {
            if (finished) {
                cf.channel().close();
                return;
            }
            if (!cf.isSuccess()) {
                finish(new CheckOutcome(CheckStatus.L4CON, 0, connectError(cf.cause()), 0));
                return;
            }
            if (plan.tls() != null) {
                handshake();
                return;
            }
            connected();
        });
    }

    private void handshake() {
        handshaking = true;
        SslHandler ssl = plan.tls().newCheckHandler(channel.alloc(), target, 0); // our own timer decides
        channel.pipeline().addFirst("ssl", ssl);
        ssl.handshakeFuture().addListener(hs -> {
            handshaking = false;
            if (finished) {
                return;
            }
            if (!hs.isSuccess()) {
                finish(new CheckOutcome(CheckStatus.L6RSP, 0, "SSL handshake failure", 0));
                return;
            }
            connected();
        });
    }

    private void connected() {
        connected = true;
        if (plan.request() == null) {
            finish(new CheckOutcome(plan.tls() != null ? CheckStatus.L6OK : CheckStatus.L4OK, 0, "", 0));
            return;
        }
        if (plan.timeoutCheckMs() > 0) {
            long later = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(plan.timeoutCheckMs());
            if (later > deadlineNanos) {
                deadlineNanos = later;
                timer.cancel(false);
                timer = loop.schedule(this::expired, later - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(plan.request().bytes()));
    }

    private void expired() {
        if (finished) {
            return;
        }
        if (!connected) {
            finish(new CheckOutcome(handshaking ? CheckStatus.L6TOUT : CheckStatus.L4TOUT, 0, "", 0));
            return;
        }
        CheckStatus tout = CheckStatus.L7TOUT;
        for (HttpExpect e : plan.expects()) {
            if (e.timeoutStatus() != null) {
                tout = e.timeoutStatus();
                break;
            }
        }
        finish(new CheckOutcome(tout, 0, "", 0));
    }

    /** Judges what was read; returns without finishing while more bytes are needed and may come. */
    private void judge(boolean eof) {
        byte[] data = received.toByteArray();
        if (data.length == 0) {
            if (eof) {
                finish(new CheckOutcome(CheckStatus.L7RSP, 0, "", 0));
            }
            return;
        }
        HttpCheckResponse.Parse p = HttpCheckResponse.parse(data, eof, plan.request().method().equals("HEAD"));
        if (p instanceof HttpCheckResponse.Invalid) {
            finish(new CheckOutcome(CheckStatus.L7RSP, 0, "", 0));
            return;
        }
        if (!(p instanceof HttpCheckResponse.Parsed parsed)) {
            return;
        }
        HttpCheckResponse r = parsed.response();
        if (!r.complete() && plan.needsBody()) {
            return;
        }
        for (HttpExpect e : plan.expects()) {
            CheckOutcome failed = e.evaluate(r);
            if (failed != null) {
                finish(failed);
                return;
            }
        }
        CheckStatus ok = plan.expects().isEmpty() ? CheckStatus.L7OKD : plan.expects().get(plan.expects().size() - 1).okStatus();
        finish(new CheckOutcome(ok, r.code(), "", 0));
    }

    private void finish(CheckOutcome o) {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        done.accept(o.withDuration(ms));
    }

    /** The strerror() text HAProxy prints for a failed connect, e.g. {@code Connection refused}. */
    static String connectError(Throwable cause) {
        String msg = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        String lower = msg.toLowerCase(Locale.ROOT);
        for (String known : new String[]{"Connection refused", "No route to host", "Network is unreachable",
                "Connection timed out", "Connection reset by peer", "Cannot assign requested address",
                "Address already in use", "Permission denied"}) {
            if (lower.contains(known.toLowerCase(Locale.ROOT))) {
                return known;
            }
        }
        return msg;
    }

    /** Collects response bytes; not a pipeline role shared with proxy/, just this probe's reader. */
    private final class Reader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (!finished && plan.request() != null) {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    received.write(bytes, 0, bytes.length);
                    judge(false);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!finished && connected) {
                judge(true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (finished || !connected) {
                return;
            }
            if (received.size() == 0) {
                // HAProxy: an I/O error after the connection was established and before any data is SOCKERR.
                finish(new CheckOutcome(CheckStatus.SOCKERR, 0, connectError(cause), 0));
            } else {
                judge(true);
            }
        }
    }
}
