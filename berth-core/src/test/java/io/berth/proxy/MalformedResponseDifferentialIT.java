package io.berth.proxy;

import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server responses at the edges of HTTP/1.1, through real HAProxy 2.6 and Berth: each proxy must answer 502 to
 * what HAProxy's parser refuses and pass on what it accepts, with the same status line and body. Found by
 * comparing both: Netty alone refused responses HAProxy takes (a Content-Length repeating one value,
 * Transfer-Encoding beside a Content-Length, bare LF line ends), took some HAProxy refuses (a lower-case version,
 * a transfer-coding not ending with chunked, a blank before a header's colon), rewrote an HTTP/1.0 status line, and cut the answer short when a
 * chunked body broke in the bytes read with the head (HAProxy, which parses what it read first, answers 502).
 */
class MalformedResponseDifferentialIT {
    private static final Map<String, String> RESPONSES = new LinkedHashMap<>();

    static {
        RESPONSES.put("/plain", "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/same-length-twice", "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/two-lengths", "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok");
        RESPONSES.put("/length-list", "HTTP/1.1 200 OK\r\ncontent-length: 2, 2\r\n\r\nok");
        RESPONSES.put("/length-and-chunked", "HTTP/1.1 200 OK\r\ncontent-length: 9\r\ntransfer-encoding: chunked"
                + "\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        RESPONSES.put("/bad-chunk-size", "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n");
        RESPONSES.put("/bare-lf", "HTTP/1.1 200 OK\ncontent-length: 2\n\nok");
        RESPONSES.put("/control-byte-in-value", "HTTP/1.1 200 OK\r\nx-a: b\u0001c\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/bad-name", "HTTP/1.1 200 OK\r\nx(a): b\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/blank-before-colon", "HTTP/1.1 200 OK\r\nx-a : b\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/no-reason", "HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/bad-status", "HTTP/1.1 20x OK\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/status-999", "HTTP/1.1 999 Odd\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/http-1.0", "HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/lower-case-version", "http/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        RESPONSES.put("/gzip-coding", "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\nok");
        RESPONSES.put("/negative-length", "HTTP/1.1 200 OK\r\ncontent-length: -2\r\n\r\nok");
        RESPONSES.put("/close-delimited", "HTTP/1.1 200 OK\r\n\r\nok");
    }

    private static SideBySide both;

    @BeforeAll
    static void start() {
        both = SideBySide.startPlainHttp(r -> Reply.raw(RESPONSES.get(r.uri())));
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /** Each response as the client gets it: status line and body. */
    private static List<String> play(int port) {
        List<String> seen = new ArrayList<>();
        for (String path : RESPONSES.keySet()) {
            try (RawClient c = new RawClient(port)) {
                c.timeout(3000);
                c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
                String all = c.readAll();
                int end = all.indexOf("\r\n\r\n");
                String statusLine = all.isEmpty() ? "(nothing)" : all.substring(0, all.indexOf("\r\n"));
                String body = end < 0 ? "" : all.substring(end + 4);
                seen.add(path + " -> " + statusLine + " | " + (body.length() > 20 ? body.substring(0, 20) + "..."
                        : body));
            }
        }
        return seen;
    }

    @Test
    void invalidWhereHaproxyFindsThemInvalidAndTheSameBytesOtherwise() {
        List<String> fromHaproxy = both.sameOnBoth("p_fe", MalformedResponseDifferentialIT::play);
        assertThat(fromHaproxy).contains("/bad-chunk-size -> HTTP/1.1 502 Bad Gateway | <html><body><h1>502 ...",
                "/length-list -> HTTP/1.1 200 OK | ok", "/http-1.0 -> HTTP/1.0 200 OK | ok");
    }
}
