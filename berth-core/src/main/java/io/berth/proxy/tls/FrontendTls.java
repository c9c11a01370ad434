package io.berth.proxy.tls;

import io.berth.model.BindSpec;
import io.berth.model.CertificateSpec;
import io.berth.model.TlsBindSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The TLS side of one {@code bind ... ssl}: one {@link SslContext} per certificate, and the SNI mapping that picks
 * one by the name the client asks for (exact names, then {@code *.domain} wildcards; the first certificate of the
 * line when nothing matches or no SNI is sent, as HAProxy's default certificate). Built once when the listener
 * binds and shared by all its connections (SslContext is thread-safe); {@link #newSniHandler} runs on each
 * connection's event loop.
 */
public final class FrontendTls {
    /** TLS versions from oldest to newest, HAProxy's names (which are also the JDK's, except TLSv1.0). */
    private static final List<String> VERSIONS = List.of("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");

    private final Mapping<String, SslContext> mapping;
    private final List<String> alpn;
    private final long handshakeTimeoutMillis;

    private FrontendTls(Mapping<String, SslContext> mapping, List<String> alpn, long handshakeTimeoutMillis) {
        this.mapping = mapping;
        this.alpn = alpn;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /**
     * @param frontend               for messages
     * @param handshakeTimeoutMillis HAProxy bounds the handshake by {@code timeout client}; 0 = Netty's 10 s
     * @throws IllegalStateException with HAProxy's wording when a context cannot be built (e.g. cipher list)
     */
    public static FrontendTls build(String frontend, BindSpec bind, long handshakeTimeoutMillis) {
        TlsBindSpec tls = bind.tls();
        DomainWildcardMappingBuilder<SslContext> builder = null;
        for (CertificateSpec cert : tls.certificates()) {
            SslContext ctx = context(frontend, bind, tls, cert);
            if (builder == null) {
                builder = new DomainWildcardMappingBuilder<>(ctx);
            }
            for (String name : cert.names()) {
                builder.add(name, ctx);
            }
        }
        return new FrontendTls(builder.build(), tls.alpn(), handshakeTimeoutMillis);
    }

    private static SslContext context(String frontend, BindSpec bind, TlsBindSpec tls, CertificateSpec cert) {
        String where = "bind '" + bind.host() + ":" + bind.port() + "' at [" + bind.location() + "]";
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cert.key(), cert.chain().toArray(new X509Certificate[0]))
                    .sslProvider(TlsProvider.get())
                    .protocols(protocols(tls.minVersion(), tls.maxVersion()));
            List<String> ciphers = ciphers(tls);
            if (!ciphers.isEmpty()) {
                b.ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE);
            }
            if (!tls.alpn().isEmpty()) {
                b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, tls.alpn()));
            }
            SslContext ctx = b.build();
            boolean tls12Kept = ctx.cipherSuites().stream().anyMatch(c -> !TLS13_SUITES.contains(c));
            if (tls.ciphers() != null && !tls12Kept || ctx.cipherSuites().isEmpty()) {
                throw new IllegalStateException("Proxy '" + frontend + "': unable to set SSL cipher list to '"
                        + tls.ciphers() + "' for " + where + ".");
            }
            return ctx;
        } catch (SSLException | IllegalArgumentException e) {
            if (tls.ciphers() != null || tls.ciphersuites() != null) {
                throw new IllegalStateException("Proxy '" + frontend + "': unable to set SSL cipher list to '"
                        + (tls.ciphers() != null ? tls.ciphers() : tls.ciphersuites()) + "' for " + where + ".", e);
            }
            throw new IllegalStateException("Proxy '" + frontend + "': unable to set up SSL for " + where
                    + " with certificate '" + cert.file() + "': " + e.getMessage(), e);
        }
    }

    /** HAProxy's default minimum is TLSv1.2 (2.6 {@code ssl-default-bind-options}); the maximum is the newest known. */
    static String[] protocols(String min, String max) {
        int from = VERSIONS.indexOf(min == null ? "TLSv1.2" : min);
        int to = max == null ? VERSIONS.size() - 1 : VERSIONS.indexOf(max);
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(VERSIONS.get(i).equals("TLSv1.0") ? "TLSv1" : VERSIONS.get(i));
        }
        return out.toArray(new String[0]);
    }

    /** {@code ciphers} (TLS 1.2 and older, OpenSSL names) then {@code ciphersuites} (TLS 1.3), colon separated. */
    static List<String> ciphers(TlsBindSpec tls) {
        List<String> out = new ArrayList<>();
        for (String list : new String[]{tls.ciphers(), tls.ciphersuites()}) {
            if (list != null) {
                Arrays.stream(list.split(":")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
            }
        }
        if (!out.isEmpty() && tls.ciphersuites() == null) {
            // Only 'ciphers' given: keep TLS 1.3's default suites, as OpenSSL does (they are configured apart).
            out.addAll(TLS13_SUITES.subList(0, 3));
        }
        return out;
    }

    /** True when ALPN is configured on the bind (then the handshake decides between HTTP/1.1 and HTTP/2). */
    public boolean negotiates() {
        return !alpn.isEmpty();
    }

    /** The first handler of a new connection: reads the ClientHello, then becomes the SslHandler of its context. */
    public SniHandler newSniHandler() {
        return new SniHandler(mapping, handshakeTimeoutMillis > 0 ? handshakeTimeoutMillis : 10_000) {
            @Override
            protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
                SslHandler h = super.newSslHandler(context, allocator);
                if (handshakeTimeoutMillis > 0) {
                    h.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
                }
                return h;
            }
        };
    }
}
