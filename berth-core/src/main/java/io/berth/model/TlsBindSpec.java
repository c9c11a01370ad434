package io.berth.model;

import java.util.List;

/**
 * The TLS part of a {@code bind} line: {@code ssl crt FILE|DIR [crt ...] [alpn LIST] [ssl-min-ver V]
 * [ssl-max-ver V] [ciphers LIST] [ciphersuites LIST]}.
 *
 * @param certificates every certificate of every {@code crt}, in load order; the first is served when the client
 *                     sends no SNI or a name no certificate carries
 * @param alpn         protocols offered in ALPN, in preference order (e.g. {@code h2}, {@code http/1.1}); empty =
 *                     no ALPN
 * @param minVersion   lowest protocol ({@code TLSv1.2}); null = HAProxy's default ({@code TLSv1.2})
 * @param maxVersion   highest protocol; null = the provider's highest
 * @param ciphers      OpenSSL cipher list for TLS 1.2 and below, or null
 * @param ciphersuites TLS 1.3 cipher suites, colon separated, or null
 */
public record TlsBindSpec(List<CertificateSpec> certificates, List<String> alpn, String minVersion,
                          String maxVersion, String ciphers, String ciphersuites) {
    public TlsBindSpec {
        certificates = List.copyOf(certificates);
        alpn = List.copyOf(alpn);
    }
}
