package io.berth.proxy.http2;

import io.berth.proxy.Session;
import io.berth.proxy.http.FrontendStreamInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * Installs HTTP/2 on a client connection (after ALPN {@code h2}, or at once for {@code proto h2}): the frame codec,
 * then one child channel per stream carrying the same HTTP/1.1 transaction as a plain connection, so rules,
 * persistence, balancing, retries and logging are shared. Settings follow HAProxy 2.6's defaults
 * ({@code tune.h2.max-concurrent-streams 100}, {@code tune.h2.initial-window-size 65535}, header table 4096);
 * flow control is Netty's: a stream's window reopens as its child channel reads, and the transaction stops reading
 * while the server side is not writable. Called on the connection's event loop.
 */
public final class FrontendH2Initializer {
    /** HAProxy's {@code tune.h2.max-concurrent-streams}. */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** HAProxy's {@code tune.h2.initial-window-size}. */
    static final int INITIAL_WINDOW = 65_535;
    /** HAProxy's {@code tune.bufsize} bounds a header list as well. */
    static final int MAX_HEADER_LIST = 16_384;

    private FrontendH2Initializer() {
    }

    public static void install(Channel ch, Session session) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .initialWindowSize(INITIAL_WINDOW)
                .maxHeaderListSize(MAX_HEADER_LIST);
        ch.pipeline().addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(settings)
                .autoAckSettingsFrame(true).autoAckPingFrame(true).build());
        ch.pipeline().addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true, true));
                stream.pipeline().addLast("h2-adapter", new H2StreamAdapter());
                FrontendStreamInitializer.install(stream, session);
            }
        }));
    }
}
