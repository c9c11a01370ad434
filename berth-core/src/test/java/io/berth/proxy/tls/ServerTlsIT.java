package io.berth.proxy.tls;

import io.berth.log.HttpLogEntry;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS towards servers ({@code server ... ssl verify none|required ca-file F sni EXPR}) against an HTTPS server on
 * loopback with certificates made for the run: the request reaches it with the SNI the expression gave, the server
 * connection is reused (for the same SNI only), and an untrusted certificate (wrong CA, or a name not matching the
 * SNI) ends as HAProxy 2.6 ends it: 503 with termination {@code SC--}, checked against the real binary on the same
 * configuration.
 */
class ServerTlsIT {
    /** The SNI {@code sni req.hdr(x-sni)} sends: a name the server's certificate does not carry. */
    private static final String WRONG_SNI = "GET / HTTP/1.1\r\nHost: x\r\nX-SNI: wrong.test\r\n\r\n";
    @TempDir
    static Path dir;
    static TlsBackend app;
    static Path appCa;
    static Path otherCa;

    @BeforeAll
    static void servers() throws Exception {
        Path pem = TestCertificates.selfSigned(dir, "app.pem", "app.test");
        appCa = TestCertificates.certificateOnly(dir, "app-ca.pem", pem);
        otherCa = TestCertificates.certificateOnly(dir, "other-ca.pem",
                TestCertificates.selfSigned(dir, "other.pem", "other.test"));
        app = new TlsBackend("app", pem);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String config(String serverArgs) {
        return """
                defaults
                    mode http
                    option httplog
                    timeout connect 300ms
                    timeout client 5s
                    timeout server 5s
                    retries 1
                frontend fe
                    bind 127.0.0.1:${fe}
                    default_backend be
                backend be
                    server s1 127.0.0.1:APP ARGS
                """.replace("APP", String.valueOf(app.port())).replace("ARGS", serverArgs);
    }

    @Test
    void verifyNoneSendsTheSniExpressionAndReusesTheConnection() {
        int before = app.connections.get();
        app.sni.clear();
        try (BerthInstance berth = BerthInstance.start(config("ssl verify none sni req.hdr(host)"), null);
             RawClient c = new RawClient(berth.port("fe"))) {
            RawClient.Response r = c.send("GET /one HTTP/1.1\r\nHost: app.test\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("app");
            r = c.send("GET /two HTTP/1.1\r\nHost: app.test\r\n\r\n").readResponse();
            assertThat(r.bodyText()).isEqualTo("app");
            assertThat(app.sni).containsExactly("app.test");
            assertThat(app.connections.get() - before).isEqualTo(1);
            // another name: the idle connection carries the wrong SNI, so a new one is made (HAProxy's reuse key)
            r = c.send("GET /three HTTP/1.1\r\nHost: other.test\r\n\r\n").readResponse();
            assertThat(r.bodyText()).isEqualTo("app");
            assertThat(app.sni).containsExactly("app.test", "other.test");
            assertThat(app.connections.get() - before).isEqualTo(2);
            assertThat(app.paths).contains("/one", "/two", "/three");
            await().atMost(Duration.ofSeconds(2)).until(() -> berth.httpLog().size() == 3);
            assertThat(berth.httpLog()).extracting(HttpLogEntry::terminationState)
                    .containsExactly("----", "----", "----");
        }
    }

    @Test
    void verifyRequiredWithItsCaAndMatchingSniPasses() {
        app.sni.clear();
        try (BerthInstance berth = BerthInstance.start(
                config("ssl verify required ca-file " + appCa + " sni req.hdr(x-sni)"), null);
             RawClient c = new RawClient(berth.port("fe"))) {
            RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: x\r\nX-SNI: app.test\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("app");
            assertThat(app.sni).containsExactly("app.test");
        }
    }

    @Test
    void withoutSniNoneIsSent() {
        app.sni.clear();
        try (BerthInstance berth = BerthInstance.start(config("ssl verify required ca-file " + appCa), null);
             RawClient c = new RawClient(berth.port("fe"))) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status()).isEqualTo(200);
            assertThat(app.sni).containsExactly("");
        }
    }

    /** Wrong CA, then the right CA but an SNI the certificate does not name: HAProxy and Berth both answer 503 SC. */
    @Test
    void untrustedServerCertificateIs503ScAsInHaproxy() {
        for (String args : List.of("ssl verify required ca-file " + otherCa,
                "ssl verify required ca-file " + appCa + " sni req.hdr(x-sni)")) {
            try (BerthInstance berth = BerthInstance.start(config(args), null);
                 RawClient c = new RawClient(berth.port("fe"))) {
                RawClient.Response r = c.send(WRONG_SNI).readResponse();
                assertThat(r.status()).as(args).isEqualTo(503);
                await().atMost(Duration.ofSeconds(3)).until(() -> berth.httpLog().size() == 1);
                HttpLogEntry e = berth.httpLog().get(0);
                assertThat(e.terminationState()).as(args).isEqualTo("SC--");
                assertThat(e.serverName()).isEqualTo("s1");
                assertThat(e.retries()).isEqualTo(1);
            }
            if (java.nio.file.Files.isExecutable(Haproxy.BINARY)) {
                int port = BerthInstance.freePort();
                String cfg = "global\n    log stdout format raw local0\n" + config(args)
                        .replace("defaults\n", "defaults\n    log global\n").replace("${fe}", String.valueOf(port));
                try (Haproxy h = Haproxy.start(cfg, port); RawClient c = new RawClient(port)) {
                    RawClient.Response r = c.send(WRONG_SNI).readResponse();
                    assertThat(r.status()).as("haproxy " + args).isEqualTo(503);
                    await().atMost(Duration.ofSeconds(3)).until(() -> h.output().contains(" SC-- "));
                    assertThat(h.output()).contains("be/s1 ").contains(" 503 ");
                }
            }
        }
    }
}
