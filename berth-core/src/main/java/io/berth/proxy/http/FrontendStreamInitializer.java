package io.berth.proxy.http;

import io.berth.proxy.Session;
import io.netty.channel.Channel;

/**
 * Installs the HTTP/1.1 transaction handler on one HTTP/2 stream (a child channel whose codec already turns frames
 * into HTTP objects): the byte counter and {@link FrontendHttpHandler}, without the HTTP/1.1 wire codec. The stream
 * shares its connection's {@link Session}. Called on the connection's event loop when a stream opens.
 */
public final class FrontendStreamInitializer {
    private FrontendStreamInitializer() {
    }

    public static void install(Channel stream, Session session) {
        ByteCounter counter = new ByteCounter();
        // Not in the pipeline: the stream codec frames responses; the handler only sets its HEAD flag.
        FrontendResponseEncoder encoder = new FrontendResponseEncoder();
        stream.pipeline().addLast("bytes", counter);
        stream.pipeline().addLast("http", new FrontendHttpHandler(session, counter, encoder));
    }
}
