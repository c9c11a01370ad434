package io.berth.proxy.http2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits an HTTP/2 stream to the HTTP/1.1 transaction handler. Inbound: drops the {@code x-http2-*} bookkeeping headers
 * the conversion adds (a server must not see them; HAProxy sends none). Outbound: HAProxy's pre-rendered answers
 * (400, 403, 502, 503, 504 pages, deny/return/redirect replies) arrive as raw HTTP/1.1 bytes and are parsed back
 * into a response the stream codec can frame. A stream whose HEADERS frame ends it arrives from the codec as one
 * {@code FullHttpRequest}; it is split into head and last content as the HTTP/1.1 decoder delivers them, so the
 * transaction sees the request end and may return its server connection to the pool (without this every stream
 * opened a new server connection: bench/tls.sh h2 figures). One per stream, on the connection's event loop.
 */
final class H2StreamAdapter extends ChannelDuplexHandler {
    private static final String EXTENSION_PREFIX = "x-http2-";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            stripExtensions(req.headers());
        }
        if (msg instanceof FullHttpRequest full) {
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                    full.headers());
            head.setDecoderResult(full.decoderResult());
            LastHttpContent last = !full.content().isReadable() && full.trailingHeaders().isEmpty()
                    ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders());
            full.release();
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(last);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static void stripExtensions(HttpHeaders headers) {
        List<String> drop = new ArrayList<>(2);
        for (String name : headers.names()) {
            if (name.regionMatches(true, 0, EXTENSION_PREFIX, 0, EXTENSION_PREFIX.length())) {
                drop.add(name);
            }
        }
        drop.forEach(headers::remove);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf raw)) {
            ctx.write(msg, promise);
            return;
        }
        EmbeddedChannel parser = new EmbeddedChannel(new HttpResponseDecoder());
        parser.writeInbound(raw);
        parser.finish();
        List<HttpObject> parts = new ArrayList<>();
        Object o;
        while ((o = parser.readInbound()) != null) {
            if (o instanceof HttpObject h) {
                parts.add(h);
            } else {
                ReferenceCountUtil.release(o);
            }
        }
        if (parts.isEmpty()) {
            promise.setSuccess();
            return;
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            ctx.write(parts.get(i));
        }
        ctx.write(parts.get(parts.size() - 1), promise);
    }
}
