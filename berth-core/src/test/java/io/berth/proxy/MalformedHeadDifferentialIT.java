package io.berth.proxy;

import io.berth.testkit.RawClient;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request heads at the edges of HTTP/1.1, through real HAProxy 2.6 and Berth: each proxy must refuse (400) what
 * HAProxy's parser refuses and pass on what it accepts, with the same request reaching the server. Found by
 * comparing both: Netty alone refused some heads HAProxy takes (a Content-Length repeating one value,
 * Transfer-Encoding beside a Content-Length or in HTTP/1.0, control characters in a header value, bare LF line
 * ends) and took some HAProxy refuses (two different Host headers, an absolute URI naming another host, a
 * lower-case version, a control character in the URI); and an absolute URI's default port is dropped (URI and
 * Host), and the URI's bytes reach the server as they came.
 */
class MalformedHeadDifferentialIT {
    private static final Map<String, String> HEADS = new LinkedHashMap<>();

    static {
        HEADS.put("content-length not a number", "POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: abc\r\n\r\n");
        HEADS.put("negative content-length", "POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n");
        HEADS.put("content-length list, one value", "POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: 3, 3\r\n\r\nabc");
        HEADS.put("content-length list, two values", "POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: 3, 4\r\n\r\nabc");
        HEADS.put("two different content-lengths",
                "POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabc");
        HEADS.put("content-length and chunked", "POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n"
                + "transfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        HEADS.put("chunked in HTTP/1.0",
                "POST /a HTTP/1.0\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        HEADS.put("space before a colon", "GET /a HTTP/1.1\r\nhost : x\r\n\r\n");
        HEADS.put("no host in HTTP/1.1", "GET /a HTTP/1.1\r\n\r\n");
        HEADS.put("two different hosts", "GET /a HTTP/1.1\r\nhost: x\r\nhost: y\r\n\r\n");
        HEADS.put("the same host twice", "GET /a HTTP/1.1\r\nhost: x\r\nhost: x\r\n\r\n");
        HEADS.put("control characters in a value", "GET /a HTTP/1.1\r\nhost: x\r\nx-a: b\u0001c\u007fd\r\n\r\n");
        HEADS.put("lower-case version", "GET /a http/1.1\r\nhost: x\r\n\r\n");
        HEADS.put("version with a suffix", "GET /a HTTP/1.1x\r\nhost: x\r\n\r\n");
        HEADS.put("lower-case method", "get /a HTTP/1.1\r\nhost: x\r\n\r\n");
        HEADS.put("absolute URI, same host, default port", "GET http://X:80/a HTTP/1.1\r\nhost: x\r\n\r\n");
        HEADS.put("absolute URI, other host", "GET https://y/a HTTP/1.1\r\nhost: x\r\n\r\n");
        HEADS.put("absolute URI and host, default port", "GET https://x:443/a HTTP/1.1\r\nhost: x:443\r\n\r\n");
        HEADS.put("origin form, host with default port", "GET /a HTTP/1.1\r\nhost: x:80\r\n\r\n");
        HEADS.put("control character in the URI", "GET /a\u0001b HTTP/1.1\r\nhost: x\r\n\r\n");
        HEADS.put("NUL in the URI", "GET /a\u0000b HTTP/1.1\r\nhost: x\r\n\r\n");
        HEADS.put("bare LF line ends", "GET /a HTTP/1.1\nhost: x\nx-b: c\n\n");
        HEADS.put("bad character in a name", "GET /a HTTP/1.1\r\nhost: x\r\nx(a): b\r\n\r\n");
        HEADS.put("HTTP/0.9", "GET /a\r\n\r\n");
    }

    private static SideBySide both;

    @BeforeAll
    static void start() {
        both = SideBySide.startPlainHttp(r -> Reply.ok("ok"));
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /** Each head: the status, and for a passed one what the server got (method, URI, body, framing, x-a, host). */
    private static List<String> play(int port) {
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, String> head : HEADS.entrySet()) {
            io.berth.testkit.Backend s1 = both.backends().get("s1");
            int before = s1.requests().size();
            try (RawClient c = new RawClient(port)) {
                c.timeout(3000);
                c.send(head.getValue().getBytes(StandardCharsets.ISO_8859_1));
                int status;
                try {
                    status = c.readResponse().status();
                } catch (java.io.UncheckedIOException e) {
                    // no answer in 3 s
                    status = -1;
                }
                List<Recorded> got = s1.requests();
                seen.add(head.getKey() + " -> " + status + got.subList(before, got.size()).stream()
                        .map(r -> " server got " + r.method() + " " + r.uri() + " body " + r.bodyLength()
                                + (r.chunked() ? " chunked" : "") + " content-length=" + r.header("content-length")
                                + " x-a=" + r.header("x-a") + " host=" + r.header("host"))
                        .toList());
            }
        }
        return seen;
    }

    @Test
    void refusesWhatHaproxyRefusesAndPassesWhatItPasses() {
        List<String> fromHaproxy = both.sameOnBoth("p_fe", MalformedHeadDifferentialIT::play);
        // the cases must exercise both answers
        assertThat(fromHaproxy).anyMatch(s -> s.startsWith("two different hosts -> 400"))
                .anyMatch(s -> s.startsWith("content-length and chunked -> 200"));
    }
}
