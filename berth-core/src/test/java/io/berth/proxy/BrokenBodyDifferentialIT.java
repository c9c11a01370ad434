package io.berth.proxy;

import io.berth.testkit.Backends;
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
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chunked request bodies the parser must refuse, sent after the head already went to the server (a client that
 * pauses, or a body in a later packet): HAProxy 2.6 answers 400 and closes, and cuts the server's connection
 * mid-body, so the server never sees a well-ended body to act on. Berth must do the same, never pass on a body
 * it truncated or re-framed (the request smuggling class of bugs). Valid but unusual framing must still pass:
 * chunk extensions, and a request head whose lines end with a bare LF.
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
    }

    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(r -> Reply.ok("got " + r.bodyLength()));
        both = SideBySide.start("""
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                frontend fe
                    bind 127.0.0.1:${p_fe}
                    default_backend be
                backend be
                    server s1 127.0.0.1:${s1}
                """, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /** Each case: the status (-1: none), whether the client's connection closed after it, what the server got. */
    private static List<String> play(int port) {
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, List<String>> body : BODIES.entrySet()) {
            int before = both.backends().get("s1").requests().size();
            try (RawClient c = new RawClient(port)) {
                c.timeout(3000);
                c.send(CHUNKED_HEAD);
                for (String part : body.getValue()) {
                    pause();
                    c.send(part);
                }
                RawClient.Response r = c.readResponse();
                String after = r.status() == 400 ? " then '" + c.readAll() + "'" : "";
                pause();
                List<Recorded> got = both.backends().get("s1").requests();
                seen.add(body.getKey() + " -> " + r.status() + after + ", server got "
                        + got.subList(before, got.size()).stream().map(x -> x.method() + " " + x.bodyLength())
                        .toList());
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
        IntFunction<List<String>> run = BrokenBodyDifferentialIT::play;
        List<String> fromHaproxy = run.apply(both.haproxyPort("p_fe"));
        List<String> fromBerth = run.apply(both.berthPort("p_fe"));
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        assertThat(fromHaproxy).contains("bad size -> 400 then '', server got []",
                "bad size after a good chunk -> 400 then '', server got []",
                "chunk extension (valid) -> 200, server got [POST 3]", "bare LF head -> 200");
    }
}
