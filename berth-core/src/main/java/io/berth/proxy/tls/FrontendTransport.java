package io.berth.proxy.tls;

import io.berth.model.BindSpec;
import io.berth.model.FrontendSpec;
import io.berth.model.Mode;
import io.berth.model.TimeoutsSpec;
import io.berth.proxy.Session;
import io.berth.proxy.http.FrontendHttpInitializer;
import io.berth.proxy.http2.FrontendH2Initializer;
import io.berth.proxy.tcp.TcpFrontendInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;

/**
 * What sits between an accepted socket and the proxy for one {@code bind}: TLS termination ({@code ssl crt ...}),
 * then HTTP/1.1 or HTTP/2 as ALPN decides, or HTTP/2 with prior knowledge ({@code proto h2} without {@code ssl}).
 * In TCP mode TLS is terminated and the clear bytes relayed. Built once per listener when it binds ({@link #forBind}
 * returns null for a plain bind, which keeps the plain pipeline); {@link #install} runs on each new connection's
 * event loop.
 */
public final class FrontendTransport {
    private final FrontendTls tls;
    private final boolean h2;

    private FrontendTransport(FrontendTls tls, boolean h2) {
        this.tls = tls;
        this.h2 = h2;
    }

    /**
     * @return null when the bind is plain HTTP/1.1 or TCP
     * @throws IllegalStateException when the TLS contexts cannot be built (HAProxy's wording)
     */
    public static FrontendTransport forBind(FrontendSpec fe, BindSpec bind) {
        boolean h2 = "h2".equals(bind.proto());
        if (bind.tls() == null && !h2) {
            return null;
        }
        long client = fe.timeouts().client();
        FrontendTls tls = bind.tls() == null ? null
                : FrontendTls.build(fe.name(), bind, client == TimeoutsSpec.UNSET ? 0 : client);
        return new FrontendTransport(tls, h2);
    }

    public void install(Channel ch, Session session, Mode mode) {
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newSniHandler());
        }
        if (mode == Mode.TCP) {
            TcpFrontendInitializer.install(ch, session);
            return;
        }
        if (tls == null) {
            FrontendH2Initializer.install(ch, session);
            return;
        }
        FrontendProtocolHandler.Layers layers = new FrontendProtocolHandler.Layers() {
            @Override
            public void http1(ChannelHandlerContext ctx) {
                FrontendHttpInitializer.install(ctx.channel(), session);
                // The HTTP handler starts its request timer on channelActive, which it missed during the handshake.
                ctx.fireChannelActive();
            }

            @Override
            public void http2(ChannelHandlerContext ctx) {
                FrontendH2Initializer.install(ctx.channel(), session);
            }
        };
        ch.pipeline().addLast("alpn", new FrontendProtocolHandler(session, layers,
                h2 ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1));
    }
}
