package io.berth.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client from Netty's own codec, plain or over TLS, sending an optional Cookie on the upgrade request
 * and keeping the 101's headers (Set-Cookie) and every text frame received. Test helper.
 */
final class WebSocketClient implements AutoCloseable {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<HttpHeaders> upgradeResponse = new CompletableFuture<>();
    final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final Channel channel;

    WebSocketClient(EventLoopGroup group, int port, boolean tls, String cookie) throws Exception {
        SslContext ssl = tls ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build() : null;
        HttpHeaders extra = new DefaultHttpHeaders();
        if (cookie != null) {
            extra.add("Cookie", cookie);
        }
        URI uri = new URI((tls ? "wss" : "ws") + "://127.0.0.1:" + port + "/ws");
        WebSocketClientProtocolHandler ws = new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory
                .newHandshaker(uri, WebSocketVersion.V13, null, false, extra));
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "127.0.0.1", port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536), new Peek(), ws,
                                new Frames());
                    }
                }).connect("127.0.0.1", port).sync().channel();
    }

    void awaitOpen() throws Exception {
        handshake.get(5, TimeUnit.SECONDS);
    }

    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    String next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Keeps the 101's headers before the protocol handler consumes it. */
    private final class Peek extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpResponse r) {
                upgradeResponse.complete(r.headers().copy());
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Frames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            received.add(frame.text());
        }
    }
}
