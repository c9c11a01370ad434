package io.berth.proxy.http;

import io.berth.server.Server;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of a server connection: passes what the server sends to the exchange currently using the connection,
 * and keeps the connection honest while it sits idle in the {@link BackendPool} (anything arriving then, or a close,
 * removes it). One per server connection, on the event loop it shares with its client connection.
 */
final class BackendHttpHandler extends ChannelInboundHandlerAdapter {
    /** The client side currently served by this connection. */
    interface Exchange {
        void backendRead(HttpObject msg);

        void backendReadComplete();

        void backendWritabilityChanged();

        void backendClosed();
    }

    static final String CODEC_DECODER = "decoder";

    Server server;
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    /** Messages of the current read from a response head on, handed over at the read's end. */
    private final java.util.ArrayDeque<HttpObject> held = new java.util.ArrayDeque<>();
    long lastActivityNanos;

    BackendHttpHandler(Server server) {
        this.server = server;
    }

    /** Installs the HTTP client codec and this handler on a new server connection. */
    static void install(io.netty.channel.Channel ch, Server server, int maxHeadSize) {
        ch.pipeline().addLast(CODEC_DECODER, new BackendResponseDecoder(maxHeadSize, 64 * 1024));
        ch.pipeline().addLast("encoder", new ServerRequestEncoder());
        ch.pipeline().addLast("backend", new BackendHttpHandler(server));
    }

    /** Initializer for new server connections; the server is set once the connector reports it. */
    static io.netty.channel.ChannelInitializer<io.netty.channel.Channel> initializer() {
        return new io.netty.channel.ChannelInitializer<>() {
            @Override
            protected void initChannel(io.netty.channel.Channel ch) {
                install(ch, null, FrontendHttpHandler.MAX_HEAD);
            }
        };
    }

    static BackendHttpHandler of(io.netty.channel.Channel ch) {
        return ch.pipeline().get(BackendHttpHandler.class);
    }

    void attach(Exchange exchange, boolean headRequest) {
        this.exchange = exchange;
        ctx.pipeline().get(BackendResponseDecoder.class).head = headRequest;
        lastActivityNanos = System.nanoTime();
    }

    /** Detaches from its exchange; the connection is either pooled or being closed. */
    void detach() {
        this.exchange = null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivityNanos = System.nanoTime();
        Exchange e = exchange;
        if (e == null) {
            // An idle server connection has nothing to say; whatever it sent makes it unusable.
            ReferenceCountUtil.release(msg);
            BackendPool.current().remove(server, ctx.channel());
            ctx.close();
            return;
        }
        if (!(msg instanceof HttpObject o)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // a response head waits for the end of the read, with what follows it in the same bytes: HAProxy parses
        // what it read before it forwards anything, so a body that breaks there makes the whole response invalid
        // (502), where forwarding the head first would leave the client with a cut answer
        // (1xx heads go at once: an interim answer has no body, and after a 101 the bytes are another protocol's)
        boolean finalHead = o instanceof HttpResponse r && r.status().code() >= 200;
        if (held.isEmpty() && !finalHead) {
            e.backendRead(o);
        } else {
            held.add(o);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        deliverHeld();
        if (exchange != null) {
            exchange.backendReadComplete();
        }
    }

    /** Hands the held messages to the exchange; a head followed by a refused body part goes alone, as invalid. */
    private void deliverHeld() {
        HttpResponse lastHead = null;
        for (HttpObject o : held) {
            if (o instanceof HttpResponse r) {
                lastHead = r;
            } else if (o.decoderResult().isFailure() && lastHead != null) {
                lastHead.setDecoderResult(o.decoderResult());
                break;
            }
        }
        boolean dropRest = false;
        for (HttpObject o; (o = held.poll()) != null; ) {
            Exchange e = exchange;
            if (dropRest || e == null) {
                ReferenceCountUtil.release(o);
            } else {
                e.backendRead(o);
                // after an invalid head nothing of that response goes on
                dropRest = o instanceof HttpResponse && o.decoderResult().isFailure();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.backendWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deliverHeld();
        BackendPool.current().remove(server, ctx.channel());
        Exchange e = exchange;
        exchange = null;
        if (e != null) {
            e.backendClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
