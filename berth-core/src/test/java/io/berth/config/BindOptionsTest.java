package io.berth.config;

import io.berth.Subsystems;
import io.berth.model.BindSpec;
import io.berth.model.TlsBindSpec;
import io.berth.proxy.tls.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bind ... ssl crt ...}: certificates loaded with HAProxy's PEM conventions, and every refusal worded as
 * {@code haproxy -c} 2.6.12 words it (messages captured from the real binary; the expired-certificate refusal is
 * Berth's own, HAProxy serves expired certificates).
 */
class BindOptionsTest {
    @TempDir
    static Path dir;
    static Path a;
    static Path b;

    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend fe
            """;

    @BeforeAll
    static void certificates() {
        a = TestCertificates.selfSigned(dir, "a.pem", "a.test", "*.wild.test");
        b = TestCertificates.selfSigned(dir, "b.pem", "b.test");
    }

    private static ConfigLoader.Result parse(String bindOptions) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", HEAD + "    bind 127.0.0.1:8443 " + bindOptions
                + "\n");
    }

    private static String error(String bindOptions) {
        ConfigLoader.Result r = parse(bindOptions);
        assertThat(r.errors()).hasSize(1);
        return r.errors().get(0).text();
    }

    @Test
    void oneFileGivesCertificateChainKeyAndNames() {
        ConfigLoader.Result r = parse("ssl crt " + a + " alpn h2,http/1.1 ssl-min-ver TLSv1.3 ciphersuites "
                + "TLS_AES_128_GCM_SHA256");
        assertThat(r.errors()).isEmpty();
        BindSpec bind = r.config().frontends().get(0).binds().get(0);
        TlsBindSpec tls = bind.tls();
        assertThat(tls.certificates()).hasSize(1);
        assertThat(tls.certificates().get(0).file()).isEqualTo(a.toString());
        assertThat(tls.certificates().get(0).names()).containsExactly("a.test", "*.wild.test");
        assertThat(tls.certificates().get(0).key().getAlgorithm()).isEqualTo("RSA");
        assertThat(tls.alpn()).containsExactly("h2", "http/1.1");
        assertThat(tls.minVersion()).isEqualTo("TLSv1.3");
        assertThat(tls.ciphersuites()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(bind.proto()).isNull();
    }

    @Test
    void aDirectoryLoadsEveryFileInNameOrderSkippingCompanions() throws Exception {
        Path d = Files.createDirectory(dir.resolve("certs"));
        Files.copy(b, d.resolve("2-b.pem"));
        Files.copy(a, d.resolve("1-a.pem"));
        Files.writeString(d.resolve("1-a.pem.ocsp"), "not a certificate");
        TlsBindSpec tls = parse("ssl crt " + d).config().frontends().get(0).binds().get(0).tls();
        assertThat(tls.certificates()).extracting(c -> c.names().get(0)).containsExactly("a.test", "b.test");
    }

    @Test
    void aKeyBesideTheCertificateIsRead() throws Exception {
        Path cert = TestCertificates.certificateOnly(dir, "split.pem", b);
        String text = Files.readString(b);
        Files.writeString(dir.resolve("split.pem.key"), text.substring(text.indexOf("-----BEGIN PRIVATE KEY-----")));
        assertThat(parse("ssl crt " + cert).errors()).isEmpty();
    }

    @Test
    void plainBindsAndProtoH2() {
        BindSpec plain = parse("").config().frontends().get(0).binds().get(0);
        assertThat(plain.tls()).isNull();
        assertThat(parse("proto h2").config().frontends().get(0).binds().get(0).proto()).isEqualTo("h2");
    }

    @Test
    void refusalsAreHaproxysMessages() {
        String p = "parsing [t.cfg:7] : 'bind 127.0.0.1:8443' in section 'frontend' : ";
        assertThat(error("ssl crt " + dir.resolve("missing.pem"))).isEqualTo(p
                + "unable to stat SSL certificate from file '" + dir.resolve("missing.pem")
                + "' : No such file or directory.");
        Path mismatch = TestCertificates.mismatched(dir, "mismatch.pem", a, b);
        assertThat(error("ssl crt " + mismatch)).isEqualTo(p
                + "inconsistencies between private key and certificate loaded '" + mismatch + "'.");
        Path nokey = TestCertificates.certificateOnly(dir, "nokey.pem", a);
        assertThat(error("ssl crt " + nokey)).isEqualTo(p + "No Private Key found in '" + nokey + ".key'.");
        assertThat(error("ssl crt")).isEqualTo(p + "'crt' : missing certificate location");
        assertThat(error("ssl crt " + a + " ssl-min-ver TLSv9")).isEqualTo(p + "'TLSv9' : unknown ssl/tls version");
        assertThat(error("ssl crt " + a + " alpn")).isEqualTo(p
                + "'alpn' : missing the comma-delimited ALPN protocol suite");
        assertThat(error("ssl crt " + a + " proto h9")).isEqualTo(p + "'proto' :  unknown MUX protocol 'h9'");
    }

    @Test
    void anExpiredCertificateIsRefusedNamingTheFile() {
        Path old = TestCertificates.expired(dir, "old.pem", "old.test");
        assertThat(error("ssl crt " + old)).startsWith("parsing [t.cfg:7] : 'bind 127.0.0.1:8443' in section"
                + " 'frontend' : certificate from file '" + old + "' expired on ");
    }

    @Test
    void sslWithoutCertificateIsRefused() {
        assertThat(error("ssl")).isEqualTo("parsing [t.cfg:7] : 'bind 127.0.0.1:8443' in section 'frontend' :"
                + " no SSL certificate specified (use 'crt').");
    }
}
