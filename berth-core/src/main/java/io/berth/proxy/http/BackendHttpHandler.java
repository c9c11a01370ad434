package io.berth.proxy.http;

import io.berth.server.Server;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
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
    long lastActivityNanos;

    BackendHttpHandler(Server server) {
        this.server = server;
    }

    /** Installs the HTTP client codec and this handler on a new server connection. */
    static void install(io.netty.channel.Channel ch, Server server, int maxHeadSize) {
        HttpDecoderConfig cfg = new HttpDecoderConfig().setMaxInitialLineLength(maxHeadSize)
                .setMaxHeaderSize(maxHeadSize).setMaxChunkSize(64 * 1024).setHeadersFactory(HeaderValues.UNCHECKED);
        ch.pipeline().addLast(CODEC_DECODER, new BackendResponseDecoder(cfg));
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
        if (msg instanceof HttpObject o) {
            e.backendRead(o);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.backendReadComplete();
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
