package io.berth.ssl;

import io.berth.model.ServerTlsSpec;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleContext;
import io.berth.sample.SampleException;
import io.berth.sample.SampleExpr;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side of TLS to one server, built once from its {@link ServerTlsSpec} and shared by every connection
 * to it (and by servers with the same arguments): the contexts, and the compiled {@code sni} expression. Any thread
 * builds ({@link #of}); handlers are made on the connecting event loop.
 *
 * <p>HAProxy 2.6 behaviour matched (src/ssl_sock.c): {@code verify required} checks the chain against
 * {@code ca-file}; the host name is checked only when an SNI is sent, against that SNI (ssl_sock_srv_verifycbk
 * falls back to the servername when no {@code verifyhost} is set). No SNI is sent without {@code sni}
 * ({@code check-sni} for checks), so the peer host given to the engine is the address literal. Minimum TLSv1.2 as
 * HAProxy's {@code ssl-default-server-options}.
 */
public final class ServerTls {
    private static final Map<ServerTlsSpec, ServerTls> BUILT = new ConcurrentHashMap<>();
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ServerTlsSpec spec;
    /** No host name check: used when no SNI goes out, or with {@code verify none}. */
    private final SslContext plain;
    /** Host name checked against the SNI sent ({@code verify required} with an SNI). */
    private final SslContext checkingHost;
    private final SampleExpr sni;

    private ServerTls(ServerTlsSpec spec, SslContext plain, SslContext checkingHost, SampleExpr sni) {
        this.spec = spec;
        this.plain = plain;
        this.checkingHost = checkingHost;
        this.sni = sni;
    }

    /**
     * The shared TLS side for {@code spec} (built on first use, then cached by value).
     *
     * @throws IllegalStateException when the context cannot be built or the {@code sni} expression does not
     *                               compile, worded as HAProxy's {@code error detected while parsing sni expression}
     */
    public static ServerTls of(ServerTlsSpec spec) {
        ServerTls t = BUILT.get(spec);
        if (t == null) {
            t = build(spec);
            ServerTls raced = BUILT.putIfAbsent(spec, t);
            if (raced != null) {
                t = raced;
            }
        }
        return t;
    }

    private static ServerTls build(ServerTlsSpec spec) {
        SampleExpr sni = null;
        if (spec.sni() != null) {
            try {
                sni = new SampleCompiler(List.of()).expression(spec.sni());
            } catch (SampleException e) {
                throw new IllegalStateException("error detected while parsing sni expression : " + e.getMessage(), e);
            }
        }
        return new ServerTls(spec, context(spec, false), spec.verifyNone() ? null : context(spec, true), sni);
    }

    private static SslContext context(ServerTlsSpec spec, boolean checkHost) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider()).protocols(PROTOCOLS)
                    .endpointIdentificationAlgorithm(checkHost ? "HTTPS" : null);
            if (spec.verifyNone()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else {
                b.trustManager(spec.ca().toArray(new X509Certificate[0]));
            }
            if (spec.crt() != null) {
                b.keyManager(spec.crt().key(), spec.crt().chain().toArray(new X509Certificate[0]));
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("unable to set up SSL towards the server: " + e.getMessage(), e);
        }
    }

    /** Same choice as the frontend's: OpenSSL (netty-tcnative) when it loads, unless {@code berth.tls.provider=jdk}. */
    private static SslProvider provider() {
        String forced = System.getProperty("berth.tls.provider", "").toLowerCase(Locale.ROOT);
        return !forced.equals("jdk") && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public ServerTlsSpec spec() {
        return spec;
    }

    /**
     * The SNI a traffic connection sends for {@code request} (null when the server has no {@code sni}, the sample
     * is missing, or the request lacks what the fetch needs; null {@code request} for a connection without one).
     */
    public String sniFor(SampleContext request) {
        if (sni == null) {
            return null;
        }
        try {
            String name = sni.evaluate(request);
            return name == null || name.isEmpty() ? null : name;
        } catch (RuntimeException e) {
            return null; // a fetch that needs what this connection lacks: no SNI, as for a missing sample
        }
    }

    /** A handler for a traffic connection to {@code target} sending {@code sniName} (from {@link #sniFor}). */
    public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress target, String sniName,
                                 long handshakeTimeoutMs) {
        return handler(alloc, target, sniName, handshakeTimeoutMs);
    }

    /** A handler for a health check ({@code check-sni} as SNI when set). */
    public SslHandler newCheckHandler(ByteBufAllocator alloc, InetSocketAddress target, long handshakeTimeoutMs) {
        return handler(alloc, target, spec.checkSni(), handshakeTimeoutMs);
    }

    private SslHandler handler(ByteBufAllocator alloc, InetSocketAddress target, String name, long timeoutMs) {
        boolean withSni = name != null && !name.isEmpty();
        SslContext ctx = withSni && checkingHost != null ? checkingHost : plain;
        String peer = withSni ? name : target.getAddress().getHostAddress();
        SslHandler h = ctx.newHandler(alloc, peer, target.getPort());
        if (timeoutMs > 0) {
            h.setHandshakeTimeoutMillis(timeoutMs);
        }
        return h;
    }
}
