package io.berth.testkit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One real HTTP/1.1 server on 127.0.0.1 (port 0) for tests: records every request it receives ({@link Recorded})
 * and answers what {@link #respond} says (default: 200 with body {@code name}). Answers {@code Expect:
 * 100-continue} with a 100 first unless told otherwise. Netty NIO; its handlers run on the kit's event loops, the
 * records are read from the test thread (thread-safe lists).
 */
public final class Backend implements AutoCloseable {
    /** Body bytes kept per recorded request; longer bodies are only counted. */
    public static final int BODY_KEPT = 1 << 20;

    private final String name;
    private final Channel server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile Function<Recorded, Reply> responder;
    private volatile boolean answerContinue = true;

    Backend(String name, EventLoopGroup group) {
        this.name = name;
        this.responder = r -> Reply.ok(name);
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int n = connections.incrementAndGet();
                        openConnections.incrementAndGet();
                        ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new ChunkedWriteHandler(), new Handler(n));
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Sets the answer for every following request. */
    public Backend respond(Function<Recorded, Reply> responder) {
        this.responder = responder;
        return this;
    }

    public Backend respond(Reply reply) {
        return respond(r -> reply);
    }

    /** Whether to answer {@code Expect: 100-continue} with an interim 100 (default true). */
    public Backend answerContinue(boolean answer) {
        this.answerContinue = answer;
        return this;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public Recorded last() {
        return requests.isEmpty() ? null : requests.get(requests.size() - 1);
    }

    /** Connections accepted since start or the last reset. */
    public int connections() {
        return connections.get();
    }

    public int openConnections() {
        return openConnections.get();
    }

    void reset() {
        requests.clear();
        connections.set(0);
        responder = r -> Reply.ok(name);
        answerContinue = true;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private final int connection;
        private HttpRequest request;
        private ByteArrayOutputStream kept;
        private long length;

        Handler(int connection) {
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest r) {
                request = r;
                kept = new ByteArrayOutputStream();
                length = 0;
                if (answerContinue && HttpUtil.is100ContinueExpected(r)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                }
            }
            if (msg instanceof HttpContent c && request != null) {
                ByteBuf b = c.content();
                int keep = (int) Math.max(0, Math.min(b.readableBytes(), BODY_KEPT - length));
                if (keep > 0) {
                    byte[] bytes = new byte[keep];
                    b.getBytes(b.readerIndex(), bytes);
                    kept.writeBytes(bytes);
                }
                length += b.readableBytes();
                if (c instanceof LastHttpContent) {
                    HttpRequest r = request;
                    request = null;
                    List<Map.Entry<String, String>> headers = new ArrayList<>();
                    r.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
                    Recorded rec = new Recorded(connection, r.method().name(), r.uri(), r.protocolVersion().text(),
                            List.copyOf(headers), kept.toByteArray(), length, HttpUtil.isTransferEncodingChunked(r));
                    requests.add(rec);
                    Reply reply = responder.apply(rec);
                    boolean keepAlive = HttpUtil.isKeepAlive(r);
                    boolean head = r.method().name().equals("HEAD");
                    if (reply.delayMillis() > 0) {
                        ctx.executor().schedule(() -> answer(ctx, reply, keepAlive, head), reply.delayMillis(),
                                TimeUnit.MILLISECONDS);
                    } else {
                        answer(ctx, reply, keepAlive, head);
                    }
                }
            }
        }

        private void answer(ChannelHandlerContext ctx, Reply reply, boolean keepAlive, boolean head) {
            if (reply.silent()) {
                return;
            }
            if (reply.raw() != null) {
                ChannelHandlerContext codec = ctx.pipeline().context(HttpServerCodec.class);
                codec.writeAndFlush(Unpooled.wrappedBuffer(reply.raw())).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()));
            reply.headers().forEach(h -> res.headers().add(h.getKey(), h.getValue()));
            long len = reply.generatedLength() >= 0 ? reply.generatedLength() : reply.body().length;
            boolean bodyless = reply.status() == 204 || reply.status() == 304 || reply.status() < 200;
            if (reply.chunked()) {
                HttpUtil.setTransferEncodingChunked(res, true);
            } else if (!reply.noLength() && !bodyless) {
                HttpUtil.setContentLength(res, len);
            }
            boolean close = reply.close() || !keepAlive;
            if (close) {
                res.headers().set("Connection", "close");
            }
            ctx.write(res);
            Object last;
            if (head || bodyless) {
                last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else if (reply.generatedLength() >= 0) {
                last = ctx.writeAndFlush(new HttpChunkedInput(new Generated(reply.generatedLength())));
            } else {
                if (reply.body().length > 0) {
                    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(reply.body())));
                }
                last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            if (close) {
                ((io.netty.channel.ChannelFuture) last).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** A generated body of {@code length} pattern bytes in 64 KiB pieces, pulled as the socket drains. */
    static final class Generated implements ChunkedInput<ByteBuf> {
        private final long length;
        private long sent;

        Generated(long length) {
            this.length = length;
        }

        @Override
        public boolean isEndOfInput() {
            return sent >= length;
        }

        @Override
        public void close() {
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) {
            if (isEndOfInput()) {
                return null;
            }
            int n = (int) Math.min(64 * 1024, length - sent);
            ByteBuf b = allocator.buffer(n);
            for (int i = 0; i < n; i++) {
                b.writeByte(Reply.patternByte(sent + i));
            }
            sent += n;
            return b;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public long progress() {
            return sent;
        }
    }
}
