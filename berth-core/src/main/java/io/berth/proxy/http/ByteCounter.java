package io.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First handler of a client connection: counts raw bytes in and out (httplog's bytes, dontlognull) and tells
 * the HTTP handler when bytes arrive, before the codec sees them, so request timers start at the first byte as
 * in HAProxy. Also the door for HAProxy's pre-rendered pages, written under the codec. Event-loop confined.
 */
final class ByteCounter extends ChannelDuplexHandler {
    interface Listener {
        void bytesIn(int n);
    }

    private ChannelHandlerContext ctx;
    private Listener listener;
    long in;
    long out;

    void listener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            int n = b.readableBytes();
            in += n;
            if (listener != null && n > 0) {
                listener.bytesIn(n);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        count(msg);
        ctx.write(msg, promise);
    }

    private void count(Object msg) {
        if (msg instanceof ByteBuf b) {
            out += b.readableBytes();
        } else if (msg instanceof ByteBufHolder h) {
            out += h.content().readableBytes();
        }
    }

    /** Writes already-encoded bytes straight to the socket, bypassing the HTTP encoder. */
    void writeRaw(ByteBuf bytes) {
        out += bytes.readableBytes();
        ctx.writeAndFlush(bytes);
    }
}
