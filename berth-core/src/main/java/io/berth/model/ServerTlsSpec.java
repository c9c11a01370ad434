package io.berth.model;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS arguments of a {@code server} line (or its {@code default-server}): {@code ssl}, {@code check-ssl},
 * {@code verify none|required}, {@code ca-file}, {@code crt}, {@code sni}, {@code check-sni}. Certificates are read
 * while parsing so that a bad file is reported at its line, as {@code haproxy -c} does. Immutable.
 *
 * @param ssl        {@code ssl}: traffic to the server is TLS
 * @param checkSsl   {@code check-ssl}: health checks are TLS (also implied by {@code ssl} when checks use the
 *                   server's own port, as in HAProxy)
 * @param verifyNone {@code verify none}; HAProxy 2.6's default is {@code required} ({@code ssl-server-verify})
 * @param caFile     the {@code ca-file} path as written, or null
 * @param ca         the certificates of {@code ca-file}, empty when none
 * @param crt        the client certificate ({@code crt}), or null
 * @param sni        the {@code sni} sample expression text, or null: no SNI sent
 * @param checkSni   the {@code check-sni} host name, or null
 */
public record ServerTlsSpec(boolean ssl, boolean checkSsl, boolean verifyNone, String caFile,
                            List<X509Certificate> ca, CertificateSpec crt, String sni, String checkSni) {
    /** No TLS to this server. */
    public static final ServerTlsSpec NONE = new ServerTlsSpec(false, false, false, null, List.of(), null, null, null);

    public ServerTlsSpec {
        ca = List.copyOf(ca);
    }

    /** Some connection to the server (traffic or check) uses TLS. */
    public boolean any() {
        return ssl || checkSsl;
    }

    public ServerTlsSpec withSsl(boolean v) {
        return new ServerTlsSpec(v, checkSsl, verifyNone, caFile, ca, crt, sni, checkSni);
    }

    public ServerTlsSpec withCheckSsl(boolean v) {
        return new ServerTlsSpec(ssl, v, verifyNone, caFile, ca, crt, sni, checkSni);
    }

    public ServerTlsSpec withVerifyNone(boolean v) {
        return new ServerTlsSpec(ssl, checkSsl, v, caFile, ca, crt, sni, checkSni);
    }

    public ServerTlsSpec withCa(String file, List<X509Certificate> certs) {
        return new ServerTlsSpec(ssl, checkSsl, verifyNone, file, certs, crt, sni, checkSni);
    }

    public ServerTlsSpec withCrt(CertificateSpec v) {
        return new ServerTlsSpec(ssl, checkSsl, verifyNone, caFile, ca, v, sni, checkSni);
    }

    public ServerTlsSpec withSni(String v) {
        return new ServerTlsSpec(ssl, checkSsl, verifyNone, caFile, ca, crt, v, checkSni);
    }

    public ServerTlsSpec withCheckSni(String v) {
        return new ServerTlsSpec(ssl, checkSsl, verifyNone, caFile, ca, crt, sni, v);
    }
}
