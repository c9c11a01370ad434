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
 * sends its own answer; the client connection stays open after each, as HAProxy keeps it.
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
            default -> Reply.ok("body");
        });
        both = SideBySide.start(SideBySide.HTTP_DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:${p_fe}
                    http-request allow if { path /allowed }
                    http-request deny if { path_beg /allowed }
                    http-response deny if { status 404 }
                    http-response return status 203 content-type text/plain string swapped if { status 500 }
                    http-response allow if { status 201 }
                    http-response set-header x-after 1
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
            for (String path : List.of("/allowed", "/allowed2", "/404", "/500", "/201", "/200")) {
                RawClient.Response r = c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n").readResponse();
                seen.add(path + " -> " + r.status() + " x-after=" + r.header("x-after") + " x-be="
                        + r.header("x-be") + " | " + r.bodyText().trim());
            }
        }
        return seen;
    }

    @Test
    void sameVerdictsAndSameCountersAsHaproxy() {
        List<String> fromHaproxy = both.sameOnBoth("p_fe", HttpRuleVerdictsDifferentialIT::play);
        assertThat(fromHaproxy).contains("/allowed -> 200 x-after=1 x-be=1 | body",
                "/allowed2 -> 403 x-after=null x-be=null | <html><body><h1>403 Forbidden</h1>\n"
                        + "Request forbidden by administrative rules.\n</body></html>",
                "/404 -> 502 x-after=null x-be=null | <html><body><h1>502 Bad Gateway</h1>\n"
                        + "The server returned an invalid or incomplete response.\n</body></html>",
                "/500 -> 203 x-after=null x-be=null | swapped", "/201 -> 201 x-after=null x-be=1 | made");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(denials(both.berthCli("show stat")))
                .isEqualTo(denials(both.haproxyCli("show stat"))));
        assertThat(denials(both.berthCli("show stat"))).contains("fe/FRONTEND dreq=1 dresp=1",
                "be/BACKEND dreq=0 dresp=1", "be/s1 dreq= dresp=1");
    }

    /** Each row's dreq and dresp from a {@code show stat} CSV (each proxy ran the play once). */
    private static List<String> denials(String csv) {
        return RuntimeApi.statColumns(csv, List.of("dreq", "dresp"));
    }
}
