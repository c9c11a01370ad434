package io.berth.proxy;

import io.berth.log.HttpLogEntry;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HAProxy's own answers, byte for byte as /usr/sbin/haproxy 2.6.12 sent them for the same situations (captured
 * with raw sockets; HttpErrorsDifferentialIT re-checks against the binary when installed), and their log lines.
 */
class HttpErrorsIT {
    @RegisterExtension
    static Backends backends = Backends.start(2);

    static final String P400 = "HTTP/1.1 400 Bad request\r\nContent-length: 90\r\nCache-Control: no-cache\r\n"
            + "Connection: close\r\nContent-Type: text/html\r\n\r\n"
            + "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n";
    static final String P408 = "HTTP/1.1 408 Request Time-out\r\nContent-length: 110\r\nCache-Control: no-cache\r\n"
            + "Connection: close\r\nContent-Type: text/html\r\n\r\n"
            + "<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n"
            + "</body></html>\n";
    static final String P422 = "HTTP/1.1 422 Unprocessable Content\r\nContent-length: 116\r\nCache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n\r\n<html><body><h1>422 Unprocessable Content</h1>\n"
            + "The server cannot process the contained instructions.\n</body></html>\n";
    static final String P502 = "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 107\r\ncache-control: no-cache\r\n"
            + "content-type: text/html\r\n\r\n<html><body><h1>502 Bad Gateway</h1>\n"
            + "The server returned an invalid or incomplete response.\n</body></html>\n";
    static final String P503 = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\n"
            + "content-type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\n"
            + "No server is available to handle this request.\n</body></html>\n";
    static final String P504 = "HTTP/1.1 504 Gateway Time-out\r\ncontent-length: 92\r\ncache-control: no-cache\r\n"
            + "content-type: text/html\r\n\r\n<html><body><h1>504 Gateway Time-out</h1>\n"
            + "The server didn't respond in time.\n</body></html>\n";

    static final String CONFIG = """
            defaults
              mode http
              option httplog
              timeout connect 300ms
              timeout client 3s
              timeout server 500ms
              timeout http-request 400ms
            frontend fe
              bind 127.0.0.1:${fe}
              use_backend brefused if { path_beg /refused }
              use_backend bnone if { path_beg /none }
              default_backend be
            backend be
              server s1 127.0.0.1:${s1}
            backend brefused
              server s1 127.0.0.1:${closed}
            backend bnone
              server s1 127.0.0.1:${s1} disabled
            """;

    private static String exchange(BerthInstance berth, String request) {
        try (RawClient c = new RawClient(berth.port("fe"))) {
            c.send(request);
            return c.readAll();
        }
    }

    private static HttpLogEntry lastLog(BerthInstance berth, int expectedCount) {
        await().atMost(Duration.ofSeconds(5)).until(() -> berth.httpLog().size() >= expectedCount);
        return berth.httpLog().get(expectedCount - 1);
    }

    @Test
    void malformedRequestGets400AndClose() {
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "GET / HTTP/1.1\r\nHost x\r\n\r\n")).isEqualTo(P400);
            HttpLogEntry e = lastLog(berth, 1);
            assertThat(e.requestLine()).isEqualTo("<BADREQ>");
            assertThat(e.terminationState()).isEqualTo("PR--");
            assertThat(e.serverName()).isEqualTo("<NOSRV>");
            assertThat(e.backendName()).isEqualTo("fe");
            assertThat(e.bytesRead()).isZero();
            assertThat(e.status()).isEqualTo(400);
        }
    }

    @Test
    void tooLongUriAndTooLargeHeadersGet400AsInHaproxy26() {
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "GET /" + "a".repeat(17000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(P400);
            assertThat(exchange(berth, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "v".repeat(15500) + "\r\n\r\n"))
                    .isEqualTo(P400);
            // A 15000-byte URI still fits HAProxy's buffer and is served.
            assertThat(exchange(berth, "GET /" + "a".repeat(15000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 OK\r\n");
        }
    }

    @Test
    void unsupportedTransferCodingGets400Or422() {
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")).isEqualTo(P400);
            assertThat(exchange(berth, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
                    .isEqualTo(P422);
        }
    }

    @Test
    void incompleteRequestGets408AfterHttpRequestTimeout() {
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "GET / HTTP/1.1\r\nHost: x\r\n")).isEqualTo(P408);
            HttpLogEntry e = lastLog(berth, 1);
            assertThat(e.terminationState()).isEqualTo("cR--");
            assertThat(e.status()).isEqualTo(408);
            assertThat(e.ta()).isBetween(400L, 1500L);
            // An idle keep-alive connection is closed silently instead.
            try (RawClient c = new RawClient(berth.port("fe"))) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(200);
                assertThat(c.readAll()).isEmpty();
            }
        }
    }

    @Test
    void refusedServerGets503AfterThreeRetries() {
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "GET /refused HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(P503);
            HttpLogEntry e = lastLog(berth, 1);
            assertThat(e.terminationState()).isEqualTo("SC--");
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.serverName()).isEqualTo("s1");
            assertThat(e.tc()).isEqualTo(-1);
            // three pauses of min(1 s, timeout connect 300 ms)
            assertThat(e.ta()).isBetween(900L, 2500L);
            // %B is the page's internal (HTX) size, as HAProxy 2.6 logs it: 217 for these 214 bytes
            assertThat(e.bytesRead()).isEqualTo(217);
            assertThat(berth.runtime().backend("brefused").servers().byName("s1").currentConns.get()).isZero();
        }
    }

    @Test
    void noUsableServerGets503() {
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "GET /none HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(P503);
            HttpLogEntry e = lastLog(berth, 1);
            assertThat(e.serverName()).isEqualTo("<NOSRV>");
            assertThat(e.terminationState()).isEqualTo("SC--");
            assertThat(e.tw()).isEqualTo(-1);
        }
    }

    @Test
    void invalidServerResponseGets502() {
        backends.get("s1").respond(Reply.raw("garbage\r\n\r\n"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(P502);
            HttpLogEntry e = lastLog(berth, 1);
            assertThat(e.terminationState()).isEqualTo("PH--");
            // HAProxy 2.6 logs the page's HTX size: 209 for these 206 bytes
            assertThat(e.bytesRead()).isEqualTo(209);
        }
    }

    @Test
    void silentServerGets504AfterTimeoutServer() {
        backends.get("s1").respond(Reply.never());
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(exchange(berth, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(P504);
            HttpLogEntry e = lastLog(berth, 1);
            assertThat(e.terminationState()).isEqualTo("sH--");
            assertThat(e.bytesRead()).isEqualTo(198);
            assertThat(e.tresp()).isEqualTo(-1);
        }
    }

    @Test
    void anErrorOnOneConnectionLeavesOthersAlone() {
        backends.get("s1").respond(r -> r.uri().equals("/slow") ? Reply.ok("slow").delayed(200) : Reply.ok("x"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends);
             RawClient good = new RawClient(berth.port("fe"))) {
            good.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(exchange(berth, "BAD\r\n\r\n")).isEqualTo(P400);
            RawClient.Response r = good.readResponse();
            assertThat(r.bodyText()).isEqualTo("slow");
        }
    }
}
