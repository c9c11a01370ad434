package io.berth.proxy.listen;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Global and frontend {@code maxconn}: at the limit a new connection is left in the backlog (its request gets no
 * answer), and it is served as soon as an established connection closes.
 */
class ConnectionLimitsIT {
    @RegisterExtension
    static Backends backends = Backends.start(1);

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return s;
    }

    /** The status line of the next answer, waiting at most {@code millis}. */
    private static String statusLine(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n' && c >= 0) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static void limitHolds(int port, BerthInstance berth) throws Exception {
        backends.get("s1").respond(Reply.ok("ok"));
        try (Socket a = open(port); Socket b = open(port)) {
            assertThat(statusLine(a, 3000)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(statusLine(b, 3000)).isEqualTo("HTTP/1.1 200 OK");
            try (Socket c = open(port)) {
                // a and b stay open (keep-alive): c waits in the backlog, its request unread
                assertThatThrownBy(() -> statusLine(c, 700)).isInstanceOf(SocketTimeoutException.class);
                assertThat(backends.get("s1").requests()).hasSize(2);
                a.close();
                assertThat(statusLine(c, 3000)).isEqualTo("HTTP/1.1 200 OK");
                await().atMost(Duration.ofSeconds(3)).until(() -> backends.get("s1").requests().size() == 3);
            }
        }
        // below the limit again: a new connection is served at once
        try (RawClient d = new RawClient(port)) {
            d.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(d.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void frontendMaxconnPausesAcceptingUntilAConnectionCloses() throws Exception {
        try (BerthInstance berth = BerthInstance.start("""
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:${fe}
                  maxconn 2
                  default_backend be
                frontend other
                  bind 127.0.0.1:${other}
                  default_backend be
                backend be
                  server s1 127.0.0.1:${s1}
                """, backends)) {
            limitHolds(berth.port("fe"), berth);
            // the other frontend has no limit of its own
            try (Socket a = open(berth.port("other")); Socket b = open(berth.port("other"));
                 Socket c = open(berth.port("other"))) {
                assertThat(statusLine(c, 3000)).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    @Test
    void globalMaxconnPausesEveryListener() throws Exception {
        try (BerthInstance berth = BerthInstance.start("""
                global
                  maxconn 2
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:${fe}
                  default_backend be
                backend be
                  server s1 127.0.0.1:${s1}
                """, backends)) {
            limitHolds(berth.port("fe"), berth);
        }
    }
}
