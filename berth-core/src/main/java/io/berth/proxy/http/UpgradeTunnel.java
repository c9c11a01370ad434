package io.berth.proxy.http;

import io.berth.model.TimeoutsSpec;
import io.berth.proxy.IdleTimer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * An HTTP/1.1 Upgrade (WebSocket and any other protocol) after the server answered {@code 101}: both connections
 * drop their HTTP codecs and become one byte tunnel, each side's reads written to the other with back-pressure,
 * half-closes passed on, the whole closed after {@code timeout tunnel} without traffic in either direction (the
 * client/server timeouts when it is unset, as HAProxy 2.6 does). Persistence was decided on the upgrade request like
 * any other, so a cookie inserted on the 101 brings the reconnecting client back. Built by
 * {@link TransactionRelay} on the connections' shared event loop; everything runs there.
 */
final class UpgradeTunnel {
    private static final AsciiString CONNECTION = AsciiString.of("connection");
    private static final AsciiString UPGRADE = AsciiString.of("upgrade");

    private final IdleTimer timer;
    private final Relay client;
    private final Relay server;

    private UpgradeTunnel(Channel clientCh, Channel serverCh, long timeoutMillis) {
        timer = new IdleTimer(clientCh.eventLoop(), timeoutMillis, this::timeout);
        client = new Relay(clientCh);
        server = new Relay(serverCh);
        client.peer = server;
        server.peer = client;
    }

    /** True when {@code req} asks for a protocol switch HAProxy would relay: HTTP/1.1, Upgrade, Connection: upgrade. */
    static boolean requested(HttpRequest req) {
        return req.protocolVersion().equals(HttpVersion.HTTP_1_1) && req.headers().contains(UPGRADE)
                && HopByHopHeaders.connectionHas(req.headers(), "upgrade");
    }

    /** The 101 for the client: end-to-end headers with {@code upgrade} kept, and {@code connection: upgrade}. */
    static HttpResponse clientHead(HttpResponse in) {
        HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, in.status(), H1Rules.UNCHECKED_VALUES);
        HopByHopHeaders.copyEndToEnd(in.headers(), out.headers(), true);
        out.headers().add(CONNECTION, "upgrade");
        return out;
    }

    /**
     * Rewires both pipelines into the tunnel. Bytes the HTTP decoders hold past the 101 (the client's or server's
     * first frames) are passed on when the decoders are removed.
     */
    static void start(Channel clientCh, Channel serverCh, TimeoutsSpec fe, TimeoutsSpec be) {
        UpgradeTunnel t = new UpgradeTunnel(clientCh, serverCh, timeout(fe, be));
        rewire(clientCh.pipeline(), t.client, "http", "encoder", "decoder");
        rewire(serverCh.pipeline(), t.server, "backend", "encoder", BackendHttpHandler.CODEC_DECODER);
        serverCh.config().setAutoRead(clientCh.isWritable());
        clientCh.config().setAutoRead(serverCh.isWritable());
        t.timer.start();
    }

    /** {@code timeout tunnel} when set, else the larger of client and server timeouts; 0 = none. */
    static long timeout(TimeoutsSpec fe, TimeoutsSpec be) {
        if (be.tunnel() != TimeoutsSpec.UNSET) {
            return be.tunnel();
        }
        return Math.max(Math.max(fe.client(), 0), Math.max(be.server(), 0));
    }

    private static void rewire(ChannelPipeline p, Relay relay, String... httpHandlers) {
        p.addLast("tunnel", relay);
        for (String name : httpHandlers) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    /** True when {@code pipeline} is a plain HTTP/1.1 client connection (an HTTP/2 stream cannot upgrade). */
    static boolean isHttp1(ChannelPipeline pipeline) {
        return pipeline.get("decoder") instanceof HttpRequestDecoder;
    }

    private void timeout() {
        client.channel.close();
        server.channel.close();
    }

    /** One side of the tunnel: what it reads goes to the peer's channel. */
    private final class Relay extends ChannelInboundHandlerAdapter {
        final Channel channel;
        Relay peer;

        Relay(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf b)) {
                // The decoder's end-of-message marker for the 101 itself, or nothing useful.
                ReferenceCountUtil.release(msg);
                return;
            }
            timer.touch();
            if (!peer.channel.isActive()) {
                b.release();
                return;
            }
            peer.channel.write(b);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.channel.flush();
            if (!peer.channel.isWritable()) {
                channel.config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (!(peer.channel instanceof DuplexChannel d && d.isInputShutdown())) {
                peer.channel.config().setAutoRead(channel.isWritable());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // Half-close: this side finished sending; tell the other side once what is queued is out.
                if (peer.channel instanceof DuplexChannel d) {
                    peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> d.shutdownOutput());
                } else {
                    peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
                if (channel instanceof DuplexChannel me && me.isOutputShutdown()) {
                    channel.close();
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            timer.stop();
            peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
