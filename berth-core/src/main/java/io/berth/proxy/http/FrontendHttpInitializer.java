package io.berth.proxy.http;

import io.berth.proxy.Session;
import io.netty.channel.Channel;

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
        ch.pipeline().addLast("bytes", counter);
        ch.pipeline().addLast("decoder", new FrontendRequestDecoder(FrontendHttpHandler.MAX_HEAD, 64 * 1024));
        ch.pipeline().addLast("encoder", encoder);
        ch.pipeline().addLast("http", new FrontendHttpHandler(session, counter, encoder));
    }
}
