package io.berth.proxy.tls;

import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS termination on a bind: the article's cookie configuration behind {@code ssl crt}, SNI choosing the
 * certificate, the {@code ssl_fc*} fetches, {@code redirect scheme https if !{ ssl_fc }} and a plain-HTTP client
 * on the TLS port. Certificates are generated per run.
 */
class TlsFrontendIT {
    @RegisterExtension
    static Backends backends = Backends.start(2);
    @TempDir
    static Path dir;
    static Path certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = Files.createDirectory(dir.resolve("certs"));
        TestCertificates.selfSigned(certs, "1-a.pem", "a.test");
        TestCertificates.selfSigned(certs, "2-b.pem", "b.test", "*.b.test");
    }

    private static String cookieConfig() {
        return """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend fe_app
                    bind 127.0.0.1:${fe} ssl crt CERTS
                    bind 127.0.0.1:${plain}
                    redirect scheme https if !{ ssl_fc }
                    http-request set-header X-Forwarded-Proto https if { ssl_fc }
                    http-request set-header X-SNI %[ssl_fc_sni]
                    default_backend be_app
                backend be_app
                    balance roundrobin
                    cookie SRVID insert indirect nocache httponly secure
                    server app1 127.0.0.1:${s1} cookie app1
                    server app2 127.0.0.1:${s2} cookie app2
                """.replace("CERTS", certs.toString());
    }

    @Test
    void cookieConfigBehindTlsInsertsASecureCookie() {
        backends.get("s1").respond(Reply.ok("one"));
        backends.get("s2").respond(Reply.ok("two"));
        try (BerthInstance berth = BerthInstance.start(cookieConfig(), backends);
             TlsClient c = new TlsClient(berth.port("fe_app"), "a.test", List.of())) {
            String r = c.send("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n").readResponse();
            // A plain 200 carries neither freshness nor validator: HAProxy 2.6.12 adds no cache-control (§1.4).
            assertThat(r).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n"
                    + "set-cookie: SRVID=app1; path=/; HttpOnly; Secure\r\n\r\none");
            Recorded got = backends.get("s1").last();
            assertThat(got.header("x-forwarded-proto")).isEqualTo("https");
            assertThat(got.header("x-sni")).isEqualTo("a.test");
            // The cookie brings the next request back to app1 although round robin would pick app2.
            r = c.send("GET /again HTTP/1.1\r\nHost: a.test\r\nCookie: SRVID=app1\r\n\r\n").readResponse();
            assertThat(r).endsWith("\r\n\r\none");
            assertThat(backends.get("s2").requests()).isEmpty();
        }
    }

    @Test
    void curlSeesTheSecureCookie() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed: skipped");
        backends.get("s1").respond(Reply.ok("one"));
        try (BerthInstance berth = BerthInstance.start(cookieConfig(), backends)) {
            Process p = new ProcessBuilder("/usr/bin/curl", "-k", "-v", "-s", "--http1.1",
                    "https://127.0.0.1:" + berth.port("fe_app") + "/").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("< set-cookie: SRVID=app1; path=/; HttpOnly; Secure");
            assertThat(out).contains("CN=a.test");
        }
    }

    @Test
    void sniPicksTheCertificateAndTheFirstIsTheDefault() {
        backends.get("s1").respond(Reply.ok("x"));
        try (BerthInstance berth = BerthInstance.start(cookieConfig(), backends)) {
            int port = berth.port("fe_app");
            try (TlsClient c = new TlsClient(port, "b.test", List.of())) {
                assertThat(c.peer().getSubjectX500Principal().getName()).isEqualTo("CN=b.test");
                assertThat(c.protocol()).isEqualTo("TLSv1.3");
            }
            try (TlsClient c = new TlsClient(port, "x.b.test", List.of())) {
                assertThat(c.peer().getSubjectX500Principal().getName()).isEqualTo("CN=b.test");
            }
            try (TlsClient c = new TlsClient(port, "unknown.test", List.of())) {
                assertThat(c.peer().getSubjectX500Principal().getName()).isEqualTo("CN=a.test");
            }
            try (TlsClient c = new TlsClient(port, null, List.of())) {
                assertThat(c.peer().getSubjectX500Principal().getName()).isEqualTo("CN=a.test");
                c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").readResponse();
                // Without SNI, ssl_fc_sni is absent and the set-header writes an empty value.
                assertThat(backends.get("s1").last().header("x-sni")).isEqualTo("");
            }
        }
    }

    @Test
    void plainHttpIsRedirectedToHttpsAndTheConnectionStaysOpen() {
        try (BerthInstance berth = BerthInstance.start(cookieConfig(), backends);
             RawClient c = new RawClient(Integer.parseInt(berth.placeholder("plain")))) {
            c.send("GET /x?y=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
            assertThat(c.readResponse().head()).isEqualTo("HTTP/1.1 302 Found\r\ncontent-length: 0\r\n"
                    + "location: https://example.com:8080/x?y=1\r\ncache-control: no-cache\r\n\r\n");
            c.send("GET /z HTTP/1.0\r\nHost: h\r\n\r\n");
            assertThat(c.readResponse().head()).isEqualTo("HTTP/1.1 302 Found\r\ncontent-length: 0\r\n"
                    + "location: https://h/z\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(backends.get("s1").requests()).isEmpty();
            assertThat(backends.get("s2").requests()).isEmpty();
        }
    }

    @Test
    void plainHttpOnTheTlsPortIsClosedWithoutDisturbingOthers() {
        backends.get("s1").respond(Reply.ok("one"));
        try (BerthInstance berth = BerthInstance.start(cookieConfig(), backends);
             TlsClient tls = new TlsClient(berth.port("fe_app"), "a.test", List.of());
             RawClient plain = new RawClient(berth.port("fe_app"))) {
            plain.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(plain.readAll()).isEmpty();
            assertThat(tls.send("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n").readResponse()).endsWith("\r\n\r\none");
        }
    }
}
