package io.berth.proxy.tcp;

import io.berth.proxy.Session;
import io.netty.channel.Channel;

/** Installs the TCP relay on an accepted client connection; called by the listener on the connection's loop. */
public final class TcpFrontendInitializer {
    private TcpFrontendInitializer() {
    }

    public static void install(Channel ch, Session session) {
        ch.pipeline().addLast("tcp", new TcpRelayHandler(session));
    }
}
