package io.berth.proxy;

import io.berth.model.TimeoutsSpec;
import io.berth.sample.SampleContext;
import io.berth.server.Server;
import io.berth.ssl.ServerTls;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;

import java.util.Objects;

/**
 * The TLS step of a server connection ({@code ssl} on a {@code server} line), between the TCP connect and the hand-over
 * to the request: puts an {@link SslHandler} in front of the new connection's pipeline, sending the SNI the request's
 * {@code sni} expression gives, and remembers that SNI on the channel. An idle TLS connection is reused only for a
 * request whose {@code sni} gives the same name (HAProxy 2.6 hashes the SNI into the connection's reuse key). The
 * handshake's outcome is {@link BackendConnector}'s to judge. Stateless; called by {@link BackendConnector} on the
 * connecting event loop, the one the connection belongs to.
 */
final class TlsStep {
    /** The SNI a TLS server connection was opened with (null: none), for reuse decisions. */
    private static final AttributeKey<String> SNI = AttributeKey.valueOf("berth.server.sni");

    private TlsStep() {
    }

    /**
     * Whether the idle connection {@code idle} to {@code s} may carry {@code request}: always without TLS or without
     * an {@code sni} setting; else only when the request's SNI is the one the connection was opened with (false when
     * the expression cannot be evaluated).
     */
    static boolean sameSni(Server s, Channel idle, SampleContext request) {
        if (!s.spec().tls().ssl() || s.spec().tls().sni() == null) {
            return true;
        }
        try {
            return Objects.equals(idle.attr(SNI).get(), ServerTls.of(s.spec().tls()).sniFor(request));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Starts TLS on the freshly connected {@code ch} to {@code target}, with {@code timeout connect} as the handshake
     * limit, and turns reading on so the handshake runs.
     *
     * @return the handshake's future (failed with {@code SslHandshakeTimeoutException} past the limit), or null when
     *         no handler could be made for the server's TLS settings (the connection is then unused; the caller closes
     *         it and counts a connection error)
     */
    static Future<Channel> start(Server target, Channel ch, long connectTimeout, SampleContext request) {
        SslHandler ssl;
        try {
            ServerTls tls = ServerTls.of(target.spec().tls());
            String name = tls.sniFor(request);
            ch.attr(SNI).set(name);
            ssl = tls.newHandler(ch.alloc(), target.address(), name,
                    connectTimeout == TimeoutsSpec.UNSET ? 0 : Math.max(1, connectTimeout));
        } catch (IllegalStateException e) {
            return null;
        }
        ch.pipeline().addFirst("ssl", ssl);
        ch.config().setAutoRead(true);
        return ssl.handshakeFuture();
    }
}
