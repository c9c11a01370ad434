package io.berth.proxy.tls;

import io.berth.proxy.Session;
import io.berth.proxy.TlsSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLSession;

/**
 * Waits for the client's TLS handshake, records what it settled in the {@link Session} (SNI, version, cipher,
 * ALPN: the {@code ssl_fc*} fetches read them) and then installs the HTTP layer the handshake chose: HTTP/2 when
 * ALPN agreed on {@code h2}, HTTP/1.1 otherwise. Bytes that arrive during the switch are held by the base class
 * and replayed. A failed handshake (bad ClientHello, plain HTTP sent to the TLS port, timeout) closes this
 * connection only, silently, as HAProxy does. One per connection, on its event loop; removes itself.
 */
final class FrontendProtocolHandler extends ApplicationProtocolNegotiationHandler {
    /** Installs the chosen HTTP layer behind this handler. */
    interface Layers {
        void http1(ChannelHandlerContext ctx);

        void http2(ChannelHandlerContext ctx);
    }

    private final Session session;
    private final Layers layers;
    private String sni;

    /** @param fallback the protocol when ALPN settles nothing: {@code http/1.1}, or {@code h2} for {@code proto h2} */
    FrontendProtocolHandler(Session session, Layers layers, String fallback) {
        super(fallback);
        this.session = session;
        this.layers = layers;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent sniEvent) {
            sni = sniEvent.hostname();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession s = ssl.engine().getSession();
        session.tls(new TlsSession(sni, s.getProtocol(), s.getCipherSuite(), ssl.applicationProtocol()));
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            layers.http2(ctx);
        } else {
            layers.http1(ctx);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
