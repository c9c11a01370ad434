package io.berth.proxy.http;

import io.berth.proxy.Session;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Installs the HTTP pipeline on an accepted client connection: byte counter, request decoder (head limited as
 * HAProxy's buffer), response encoder, {@link FrontendHttpHandler}. Called by the listener on the connection's
 * event loop.
 */
public final class FrontendHttpInitializer {
    /** The user event that asks a connection to finish its current request and close. */
    public static final Object DRAIN = FrontendHttpHandler.DRAIN;

    private FrontendHttpInitializer() {
    }

    public static void install(Channel ch, Session session) {
        ByteCounter counter = new ByteCounter();
        FrontendResponseEncoder encoder = new FrontendResponseEncoder();
        HttpDecoderConfig cfg = new HttpDecoderConfig()
                .setMaxInitialLineLength(FrontendHttpHandler.MAX_HEAD)
                .setMaxHeaderSize(FrontendHttpHandler.MAX_HEAD)
                .setMaxChunkSize(64 * 1024)
                // HAProxy's H1 parser takes a bare LF as a line end (heads, chunk sizes, chunk ends): so must we
                .setStrictLineParsing(false);
        ch.pipeline().addLast("bytes", counter);
        ch.pipeline().addLast("decoder", new HttpRequestDecoder(cfg));
        ch.pipeline().addLast("encoder", encoder);
        ch.pipeline().addLast("http", new FrontendHttpHandler(session, counter, encoder));
    }
}
