package io.berth.log;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bytes HAProxy 2.6 counts for HTTP transactions, in Berth: the httplog's {@code %B} and {@code show stat}'s
 * {@code bin}/{@code bout} are the messages' internal (HTX) size, not the wire bytes, and a chunked HTTP/1 message
 * counts its trailers and an end-of-trailers block. Responses with a length, chunked, chunked with a trailer
 * (each with a header an http-response rule adds), and requests with a chunked or a counted body go through both;
 * the log lines' byte counts and the frontend's counters must be the same.
 */
class HttpLogBytesDifferentialIT {
    private static final String CONFIG = """
            global
                log stdout format raw local0
            defaults
                mode http
                log global
                option httplog
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:${p_fe}
                default_backend be
            backend be
                http-response set-header x-server %[srv_name]
                server s1 127.0.0.1:${s1}
            """;

    private static final String[] REQUESTS = {
        "GET /length HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        "GET /chunked HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        "GET /trailer HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        "POST /length HTTP/1.1\r\nhost: x\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n3\r\nabc\r\n0\r\nx-sum: 8\r\n\r\n",
        "POST /length HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 5\r\n\r\nhello",
    };

    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(r -> switch (r.uri()) {
            case "/chunked" -> Reply.ok("abcdefgh").header("x-long", "v".repeat(50)).asChunked();
            case "/trailer" -> Reply.raw("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n5\r\ndefgh\r\n0\r\nx-checksum: 1234\r\n\r\n");
            default -> Reply.ok("hello world\n".repeat(3));
        });
        both = SideBySide.start(CONFIG, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    private static List<String> play(int port) {
        List<String> statuses = new ArrayList<>();
        for (String request : REQUESTS) {
            try (RawClient c = new RawClient(port)) {
                c.timeout(3000);
                statuses.add(request.substring(0, request.indexOf(" HTTP")) + " -> "
                        + c.send(request).readResponse().status());
            }
        }
        return statuses;
    }

    /** {@code %B} of each httplog line, in request order (the sixth field after the client address). */
    private static List<Long> haproxyBytes() {
        List<Long> out = new ArrayList<>();
        for (String line : both.haproxy().logLines()) {
            if (line.contains("\"GET ") || line.contains("\"POST ")) {
                out.add(Long.parseLong(line.split(" ")[6]));
            }
        }
        return out;
    }

    /** The frontend's bin and bout from a {@code show stat} CSV. */
    private static String traffic(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).substring(2).split(",", -1));
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (f[0].equals("fe") && f[1].equals("FRONTEND")) {
                return "bin=" + f[header.indexOf("bin")] + " bout=" + f[header.indexOf("bout")];
            }
        }
        throw new AssertionError("no fe FRONTEND row in " + csv);
    }

    @Test
    void sameLoggedBytesAndTrafficCountersAsHaproxy() {
        assertThat(both.sameOnBoth("p_fe", HttpLogBytesDifferentialIT::play)).allMatch(s -> s.endsWith("-> 200"));

        await().atMost(Duration.ofSeconds(5)).until(() -> haproxyBytes().size() == REQUESTS.length
                && both.berth().httpLog().size() == REQUESTS.length);
        List<Long> berthBytes = both.berth().httpLog().stream().map(HttpLogEntry::bytesRead).toList();
        assertThat(berthBytes).containsExactlyElementsOf(haproxyBytes());
        assertThat(traffic(both.berthCli("show stat"))).isEqualTo(traffic(both.haproxyCli("show stat")));
    }
}
