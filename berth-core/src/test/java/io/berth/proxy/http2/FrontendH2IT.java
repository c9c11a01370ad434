package io.berth.proxy.http2;

import io.berth.proxy.tls.TestCertificates;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HTTP/2 on the frontend, checked with real clients: curl over TLS with ALPN {@code h2} and over cleartext with
 * prior knowledge ({@code proto h2}), h2load for many concurrent streams. Requests reach HTTP/1.1 servers with
 * the cookie fields merged into one header, persistence works as over HTTP/1.1, and Berth's own answers (503)
 * are framed as HTTP/2 responses.
 */
class FrontendH2IT {
    @RegisterExtension
    static Backends backends = Backends.start(2);
    @TempDir
    static Path dir;
    static Path cert;

    @BeforeAll
    static void certificate() {
        cert = TestCertificates.selfSigned(dir, "h2.pem", "h2.test");
    }

    private static String config() {
        return """
                defaults
                    mode http
                    option httplog
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:${fe} ssl crt CERT alpn h2,http/1.1
                    bind 127.0.0.1:${h2c} proto h2
                    http-request set-header X-Proto %[ssl_fc_alpn]
                    use_backend none if { path_beg /none }
                    default_backend be
                backend be
                    balance roundrobin
                    cookie SRVID insert indirect nocache secure
                    server app1 127.0.0.1:${s1} cookie app1
                    server app2 127.0.0.1:${s2} cookie app2
                backend none
                """.replace("CERT", cert.toString());
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void curlOverTlsNegotiatesH2AndCookiesAreMergedAndSticky() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed: skipped");
        backends.get("s1").respond(Reply.ok("one"));
        backends.get("s2").respond(Reply.ok("two"));
        try (BerthInstance berth = BerthInstance.start(config(), backends)) {
            String url = "https://127.0.0.1:" + berth.port("fe") + "/a?b=c";
            String out = run("/usr/bin/curl", "-k", "-s", "-i", "--http2", url);
            assertThat(out).startsWith("HTTP/2 200 \r\n");
            assertThat(out).contains("set-cookie: SRVID=app1; path=/; Secure\r\n");
            assertThat(out).endsWith("\r\n\r\none");
            Recorded first = backends.get("s1").last();
            assertThat(first.version()).isEqualTo("HTTP/1.1");
            assertThat(first.uri()).isEqualTo("/a?b=c");
            assertThat(first.header("host")).isEqualTo("127.0.0.1:" + berth.port("fe"));
            assertThat(first.header("x-proto")).isEqualTo("h2");
            assertThat(first.headerNames()).noneMatch(n -> n.startsWith("x-http2"));
            // curl sends two cookies as two HTTP/2 fields; the server must see one "cookie: a; b" header.
            out = run("/usr/bin/curl", "-k", "-s", "-i", "--http2", "-H", "Cookie: SRVID=app1", "-H",
                    "Cookie: other=1", url);
            assertThat(out).endsWith("\r\n\r\none");
            assertThat(backends.get("s1").last().headers("cookie")).containsExactly("other=1");
            assertThat(backends.get("s2").requests()).isEmpty();
        }
    }

    @Test
    void h2cPriorKnowledgeAndBerthsOwnErrorsAreHttp2() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed: skipped");
        backends.get("s1").respond(Reply.ok("one"));
        try (BerthInstance berth = BerthInstance.start(config(), backends)) {
            String base = "http://127.0.0.1:" + berth.placeholder("h2c");
            String out = run("/usr/bin/curl", "-s", "-i", "--http2-prior-knowledge", "-d", "payload", base + "/p");
            assertThat(out).startsWith("HTTP/2 200 \r\n");
            Recorded got = backends.get("s1").last();
            assertThat(got.method()).isEqualTo("POST");
            assertThat(got.bodyText()).isEqualTo("payload");
            out = run("/usr/bin/curl", "-s", "-i", "--http2-prior-knowledge", base + "/none");
            assertThat(out).startsWith("HTTP/2 503 \r\n");
            assertThat(out).contains("<html><body><h1>503 Service Unavailable</h1>");
            // HAProxy logs the client's protocol, not the HTTP/1.1 the stream is translated to
            await().atMost(java.time.Duration.ofSeconds(5)).until(() -> berth.httpLog().size() == 2);
            assertThat(berth.httpLog()).extracting(e -> e.requestLine())
                    .containsExactly("POST /p HTTP/2.0", "GET /none HTTP/2.0");
        }
    }

    @Test
    void h2loadCompletesEveryRequestOverManyStreams() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/h2load")), "h2load not installed (nghttp2-client): skipped");
        backends.get("s1").respond(Reply.ok("one"));
        backends.get("s2").respond(Reply.ok("two"));
        try (BerthInstance berth = BerthInstance.start(config(), backends)) {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/h2load", "-n", "2000", "-c", "4", "-m", "50",
                    "https://127.0.0.1:" + berth.port("fe") + "/"));
            String out = run(cmd.toArray(new String[0]));
            assertThat(out).contains("requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed,"
                    + " 0 errored, 0 timeout");
            assertThat(out).contains("status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx");
            assertThat(out).contains("Application protocol: h2");
            assertThat(backends.get("s1").requests().size() + backends.get("s2").requests().size()).isEqualTo(2000);
        }
    }
}
