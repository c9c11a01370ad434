package io.berth.proxy;

import io.berth.testkit.RawClient;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chunked request bodies the parser must refuse. Sent with the head, HAProxy 2.6 refuses the whole request (400,
 * {@code <BADREQ>}, no server connection). Sent after the head already went to the server (a client that pauses,
 * or a body in a later packet), it answers 400 and closes, and cuts the server's connection mid-body, so the
 * server never sees a well-ended body to act on. Berth must do the same, never pass on a body
 * it truncated or re-framed (the request smuggling class of bugs). Valid but unusual framing must still pass:
 * chunk extensions (a blank before one too), trailers, and a request head whose lines end with a bare LF.
 */
class BrokenBodyDifferentialIT {
    private static final String CHUNKED_HEAD =
            "POST /upload HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n";

    /** Body parts sent one by one, 150 ms apart, after the head. */
    private static final Map<String, List<String>> BODIES = new LinkedHashMap<>();

    static {
        BODIES.put("bad size", List.of("zz\r\nabc\r\n0\r\n\r\n"));
        BODIES.put("data longer than its size", List.of("3\r\n abc\r\n0\r\n\r\n"));
        BODIES.put("data not followed by a line end", List.of("3\r\nabcX\n0\r\n\r\n"));
        BODIES.put("negative size", List.of("-3\r\nabc\r\n0\r\n\r\n"));
        BODIES.put("size over 64 bits", List.of("ffffffffffffffffff\r\nabc\r\n0\r\n\r\n"));
        BODIES.put("trailer without a colon", List.of("3\r\nabc\r\n0\r\nbad trailer\r\n\r\n"));
        BODIES.put("bad size after a good chunk", List.of("3\r\nabc\r\n", "zz\r\nabc\r\n0\r\n\r\n"));
        BODIES.put("chunk extension (valid)", List.of("3;name=value\r\nabc\r\n0\r\n\r\n"));
        BODIES.put("blank before an extension (valid)", List.of("3 ;x=y\r\nabc\r\n0\r\n\r\n"));
        BODIES.put("trailers (valid)", List.of("3\r\nabc\r\n0\r\nx-t: 1\r\n\r\n"));
    }

    private static SideBySide both;

    @BeforeAll
    static void start() {
        both = SideBySide.startPlainHttp(r -> Reply.ok("got " + r.bodyLength()));
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /**
     * Each case twice: the whole request in one write (HAProxy parses it all before it starts the stream, so it
     * refuses the request like a bad head: no server connection), and the body after a pause (the head went to
     * the server). Seen: the status, whether the client's connection closed after a 400, what the server got and
     * on how many new connections.
     */
    private static List<String> play(int port) {
        List<String> seen = new ArrayList<>();
        for (boolean late : new boolean[] {false, true}) {
            for (Map.Entry<String, List<String>> body : BODIES.entrySet()) {
                io.berth.testkit.Backend s1 = both.backends().get("s1");
                int before = s1.requests().size();
                int connections = s1.connections();
                try (RawClient c = new RawClient(port)) {
                    c.timeout(3000);
                    if (late) {
                        c.send(CHUNKED_HEAD);
                        for (String part : body.getValue()) {
                            pause();
                            c.send(part);
                        }
                    } else {
                        c.send(CHUNKED_HEAD + String.join("", body.getValue()));
                    }
                    RawClient.Response r = c.readResponse();
                    String after = r.status() == 400 ? " then '" + c.readAll() + "'" : "";
                    pause();
                    List<Recorded> got = s1.requests();
                    seen.add((late ? "late " : "") + body.getKey() + " -> " + r.status() + after + ", server got "
                            + got.subList(before, got.size()).stream().map(x -> x.method() + " " + x.bodyLength())
                            .toList() + " on " + (s1.connections() - connections) + " connections");
                }
            }
        }
        try (RawClient c = new RawClient(port)) {
            c.timeout(3000);
            seen.add("bare LF head -> " + c.send("GET /lf HTTP/1.1\nhost: x\nconnection: close\n\n").readResponse()
                    .status());
        }
        return seen;
    }

    private static void pause() {
        org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(150)).until(() -> true);
    }

    @Test
    void sameAnswersAndNothingHalfParsedReachesTheServer() {
        List<String> fromHaproxy = both.sameOnBoth("p_fe", BrokenBodyDifferentialIT::play);
        assertThat(fromHaproxy).contains("bad size -> 400 then '', server got [] on 0 connections",
                "late bad size -> 400 then '', server got [] on 1 connections",
                "late bad size after a good chunk -> 400 then '', server got [] on 1 connections",
                "chunk extension (valid) -> 200, server got [POST 3] on 1 connections", "bare LF head -> 200");
    }
}
