package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.RuntimeApi;
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
 * The verdicts of {@code http-request} and {@code http-response} rules, through real HAProxy 2.6 and Berth:
 * {@code allow} ends its list (the message goes on, later rules of the same section do not run), an
 * {@code http-response deny} replaces the server's answer with HAProxy's 502 page and counts in {@code dresp}
 * (frontend, backend and server) where a denied request counts in {@code dreq}, an {@code http-response return}
 * sends its own answer, {@code http-response set-status} rewrites the status (the next rules and the proxies'
 * counters see the new one, the server's counters the one it sent; the reason is HAProxy's own table's, or the
 * string given, taken as written); the client connection stays open after each, as HAProxy keeps it.
 */
class HttpRuleVerdictsDifferentialIT {
    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(r -> switch (r.uri()) {
            case "/404" -> Reply.status(404).body("gone");
            case "/500" -> Reply.status(500).body("oops");
            case "/201" -> Reply.status(201).body("made");
            case "/418" -> Reply.status(418).body("tea");
            case "/202" -> Reply.status(202).body("later");
            case "/206" -> Reply.status(206).body("part");
            default -> Reply.ok("body");
        });
        both = SideBySide.start(SideBySide.HTTP_DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:${p_fe}
                    http-request allow if { path /allowed }
                    http-request return status 299 if { path /r299 }
                    http-request return status 502 content-type text/plain string nope if { path /r502 }
                    http-request deny if { path_beg /allowed }
                    http-response deny if { status 404 }
                    http-response return status 203 content-type text/plain string swapped if { status 500 }
                    http-response allow if { status 201 }
                    http-response set-status 503 if { status 418 }
                    http-response set-status 299 if { status 202 }
                    http-response set-status 200 reason "Fine %[status]" if { status 206 }
                    http-response set-header x-after %[status]
                    default_backend be
                backend be
                    http-response allow if { status 202 }
                    http-response set-header x-be 1
                    server s1 127.0.0.1:${s1}
                """, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /**
     * Each request on one keep-alive connection: the status line, the headers the rules add, the body. A closed
     * connection would fail the next request.
     */
    private static List<String> play(int port) {
        List<String> seen = new ArrayList<>();
        try (RawClient c = new RawClient(port)) {
            c.timeout(3000);
            for (String path : List.of("/allowed", "/allowed2", "/404", "/500", "/201", "/200", "/418", "/202",
                    "/206", "/r299", "/r502")) {
                RawClient.Response r = c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n").readResponse();
                seen.add(path + " -> " + r.head().lines().findFirst().orElse("") + " x-after=" + r.header("x-after")
                        + " x-be=" + r.header("x-be") + " | " + r.bodyText().trim());
            }
        }
        return seen;
    }

    @Test
    void sameVerdictsAndSameCountersAsHaproxy() {
        List<String> fromHaproxy = both.sameOnBoth("p_fe", HttpRuleVerdictsDifferentialIT::play);
        assertThat(fromHaproxy).contains("/allowed -> HTTP/1.1 200 OK x-after=200 x-be=1 | body",
                "/allowed2 -> HTTP/1.1 403 Forbidden x-after=null x-be=null | <html><body><h1>403 Forbidden</h1>\n"
                        + "Request forbidden by administrative rules.\n</body></html>",
                "/404 -> HTTP/1.1 502 Bad Gateway x-after=null x-be=null | <html><body><h1>502 Bad Gateway</h1>\n"
                        + "The server returned an invalid or incomplete response.\n</body></html>",
                "/500 -> HTTP/1.1 203 Non-Authoritative Information x-after=null x-be=null | swapped",
                "/201 -> HTTP/1.1 201 Created x-after=null x-be=1 | made",
                "/418 -> HTTP/1.1 503 Service Unavailable x-after=503 x-be=1 | tea",
                "/202 -> HTTP/1.1 299 Success x-after=299 x-be=null | later",
                "/206 -> HTTP/1.1 200 Fine %[status] x-after=200 x-be=1 | part");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(denials(both.berthCli("show stat")))
                .isEqualTo(denials(both.haproxyCli("show stat"))));
        // a status set-status rewrote counts as sent for the proxies, as received for the server
        assertThat(RuntimeApi.statColumns(both.berthCli("show stat"), List.of("hrsp_2xx", "hrsp_4xx", "hrsp_5xx")))
                .isEqualTo(RuntimeApi.statColumns(both.haproxyCli("show stat"),
                        List.of("hrsp_2xx", "hrsp_4xx", "hrsp_5xx")));
        assertThat(denials(both.berthCli("show stat"))).contains("fe/FRONTEND dreq=1 dresp=1",
                "be/BACKEND dreq=0 dresp=1", "be/s1 dreq= dresp=1");
    }

    /** Each row's dreq and dresp from a {@code show stat} CSV (each proxy ran the play once). */
    private static List<String> denials(String csv) {
        return RuntimeApi.statColumns(csv, List.of("dreq", "dresp"));
    }
}
