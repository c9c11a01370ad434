package io.berth.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

import java.util.Locale;

/**
 * Which TLS engine Berth uses: OpenSSL (BoringSSL, through netty-tcnative) when its native library loads on this
 * platform, the JDK's own TLS otherwise. The system property {@code berth.tls.provider=jdk|openssl} forces one (the
 * TLS benchmark compares both). Decided once per process; any thread.
 */
public final class TlsProvider {
    private static final SslProvider CHOSEN = choose(System.getProperty("berth.tls.provider", ""));

    private TlsProvider() {
    }

    public static SslProvider get() {
        return CHOSEN;
    }

    /** "OpenSSL (BoringSSL ...)" or "JDK", for the start-up line and the benchmark. */
    public static String describe() {
        return CHOSEN == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    static SslProvider choose(String forced) {
        String f = forced.toLowerCase(Locale.ROOT);
        if (f.equals("jdk")) {
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        if (f.equals("openssl")) {
            throw new IllegalStateException("berth.tls.provider=openssl but OpenSSL is unavailable: "
                    + OpenSsl.unavailabilityCause());
        }
        return SslProvider.JDK;
    }
}
