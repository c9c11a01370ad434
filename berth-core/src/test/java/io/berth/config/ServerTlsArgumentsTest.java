package io.berth.config;

import io.berth.Subsystems;
import io.berth.model.ServerSpec;
import io.berth.model.ServerTlsSpec;
import io.berth.proxy.tls.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS arguments of {@code server} / {@code default-server}: what they set, what {@code default-server} passes
 * on, and every refusal as {@code haproxy -c} 2.6.12 words it (captured from the binary on the same lines).
 */
class ServerTlsArgumentsTest {
    @TempDir
    static Path dir;
    static Path pem;
    static Path ca;

    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            backend be
            """;

    @BeforeAll
    static void certificates() {
        pem = TestCertificates.selfSigned(dir, "c.pem", "c.test");
        ca = TestCertificates.certificateOnly(dir, "ca.pem", pem);
    }

    private static ConfigLoader.Result parse(String lines) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", HEAD + lines);
    }

    private static String error(String serverArgs) {
        ConfigLoader.Result r = parse("    server s1 127.0.0.1:8443 " + serverArgs + "\n");
        assertThat(r.errors()).hasSize(1);
        return r.errors().get(0).text();
    }

    @Test
    void argumentsFillTheSpec() {
        ConfigLoader.Result r = parse("    server s1 127.0.0.1:8443 ssl verify required ca-file " + ca + " crt " + pem
                + " sni req.hdr(host) check check-ssl check-sni c.test\n    server s2 127.0.0.1:80\n");
        assertThat(r.errors()).isEmpty();
        ServerTlsSpec tls = r.config().backends().get(0).servers().get(0).tls();
        assertThat(tls.ssl()).isTrue();
        assertThat(tls.checkSsl()).isTrue();
        assertThat(tls.verifyNone()).isFalse();
        assertThat(tls.caFile()).isEqualTo(ca.toString());
        assertThat(tls.ca()).hasSize(1);
        assertThat(tls.ca().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=c.test");
        assertThat(tls.crt().file()).isEqualTo(pem.toString());
        assertThat(tls.sni()).isEqualTo("req.hdr(host)");
        assertThat(tls.checkSni()).isEqualTo("c.test");
        assertThat(r.config().backends().get(0).servers().get(1).tls()).isEqualTo(ServerTlsSpec.NONE);
    }

    @Test
    void defaultServerPassesTlsOnAndNoSslTakesItBack() {
        ConfigLoader.Result r = parse("    default-server ssl verify none\n    server s1 127.0.0.1:8443\n"
                + "    server s2 127.0.0.1:80 no-ssl\n");
        assertThat(r.errors()).isEmpty();
        ServerSpec s1 = r.config().backends().get(0).servers().get(0);
        ServerSpec s2 = r.config().backends().get(0).servers().get(1);
        assertThat(s1.tls().ssl()).isTrue();
        assertThat(s1.tls().verifyNone()).isTrue();
        assertThat(s2.tls().ssl()).isFalse();
    }

    @Test
    void refusalsWordedAsHaproxy() {
        String noCa = "[t.cfg:7] : 'server be/s1' : verify is enabled by default but no CA file specified. If you're"
                + " running on a LAN where you're certain to trust the server's certificate, please set an explicit"
                + " 'verify none' statement on the 'server' line, or use 'ssl-server-verify none' in the global"
                + " section to disable server-side verifications by default.";
        assertThat(error("ssl")).isEqualTo(noCa);
        assertThat(error("ssl verify required")).isEqualTo(noCa);
        assertThat(error("check-ssl")).isEqualTo(noCa);
        assertThat(error("ssl verify bogus")).isEqualTo("[t.cfg:7] : 'server be/s1' : 'verify' : unknown verify"
                + " method 'bogus', only 'none' and 'required' are supported.");
        assertThat(error("ssl verify required ca-file /nonexist.pem")).isEqualTo("[t.cfg:7] : 'server be/s1' :"
                + " Couldn't open the ca-file '/nonexist.pem' (No such file or directory).");
        assertThat(error("ssl verify none crt /nonexist.pem")).isEqualTo("[t.cfg:7] : 'server be/s1' : unable to"
                + " stat SSL certificate from file '/nonexist.pem' : No such file or directory.");
    }

    @Test
    void verifyNoneOrACaFileIsAccepted() {
        assertThat(parse("    server s1 127.0.0.1:8443 ssl verify none\n").errors()).isEmpty();
        assertThat(parse("    server s1 127.0.0.1:8443 ssl ca-file " + ca + "\n").errors()).isEmpty();
        // HAProxy checks the CA only on server lines, never on default-server
        assertThat(parse("    default-server ssl\n    server s1 127.0.0.1:8443 verify none\n").errors()).isEmpty();
    }
}
