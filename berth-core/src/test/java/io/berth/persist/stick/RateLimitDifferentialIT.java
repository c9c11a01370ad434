package io.berth.persist.stick;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Differential test of the usual rate limit: {@code http-request track-sc0 src} into a table storing
 * {@code http_req_rate(10s)} and {@code http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }}, plus
 * {@code sc-inc-gpc0} and a 404 from the server. Real HAProxy 2.6 and Berth get the same requests from the same
 * sources (127.0.0.x) and must answer the same statuses; then every counter of every entry, as HAProxy's
 * {@code show table} prints it, must be equal in Berth's table (only {@code exp}, the milliseconds left, differs).
 * {@code bytes_in_cnt} is left out: HAProxy 2.6 counts a request's bytes as its HTX form (8 bytes fewer than the
 * wire for these requests), Berth counts wire bytes. The second frontend is the common form with the table in
 * the frontend itself ({@code stick-table ... store http_req_rate(10s)} + {@code track-sc0 src} + {@code deny}).
 */
class RateLimitDifferentialIT {
    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:${p_fe}
                http-request track-sc0 src table rl
                http-request sc-inc-gpc0(0) if { path /flag }
                http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }
                default_backend be
            frontend fe_rl
                bind 127.0.0.1:${p_rl}
                stick-table type ip size 100k expire 30s store http_req_rate(10s)
                http-request track-sc0 src
                http-request deny if { sc_http_req_rate(0) gt 10 }
                default_backend be
            backend rl
                stick-table type ip size 1k expire 1m store gpc0,conn_cnt,conn_cur,conn_rate(10s),http_req_cnt,http_req_rate(10s),http_err_cnt,http_err_rate(10s)
            backend be
                server s1 127.0.0.1:${s1}
            """;

    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(r -> r.uri().startsWith("/missing") ? Reply.status(404) : Reply.ok("s1"));
        both = SideBySide.start(CONFIG, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /** One HTTP/1.1 request from {@code source}; returns the status code. */
    private static int get(int port, String source, String path) throws IOException {
        try (RawClient c = new RawClient(source, port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").readResponse().status();
        }
    }

    /** HAProxy's dump: key → "name=value ..." without the pointer, use= and exp=. */
    private static Map<String, String> haproxyTable(String table) {
        return both.haproxyTable(table);
    }

    /** Berth's table in the same form. */
    private static Map<String, String> berthTable(String table) {
        return both.berth().tableData(table);
    }

    private static List<String> run(int port) throws IOException {
        List<String> out = new ArrayList<>();
        String[][] steps = {
                {"127.0.0.2", "/"}, {"127.0.0.2", "/missing"}, {"127.0.0.3", "/"}, {"127.0.0.2", "/flag"},
                {"127.0.0.2", "/"}, {"127.0.0.2", "/flag"}, {"127.0.0.3", "/missing"}, {"127.0.0.2", "/"},
                {"127.0.0.4", "/flag"}, {"127.0.0.3", "/"}, {"127.0.0.3", "/"}, {"127.0.0.3", "/"},
        };
        for (String[] s : steps) {
            out.add(s[0] + " " + s[1] + " -> " + get(port, s[0], s[1]));
        }
        return out;
    }

    @Test
    void sameStatusesAndSameCountersAsHaproxy() throws Exception {
        List<String> fromHaproxy = run(both.haproxyPort("p_fe"));
        List<String> fromBerth = run(both.berthPort("p_fe"));
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        // the sequence crosses the limit: the 4th request of 127.0.0.2 onwards is refused
        assertThat(fromHaproxy).contains("127.0.0.2 /flag -> 429", "127.0.0.3 / -> 429", "127.0.0.2 /missing -> 404");
        // conn_cur returns to 0 once the connections are closed; wait for both to settle
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, String> h = haproxyTable("rl");
            assertThat(h).hasSize(3);
            assertThat(berthTable("rl")).isEqualTo(h);
        });
    }

    private static List<String> burst(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            out.add("127.0.0.5 -> " + get(port, "127.0.0.5", "/"));
        }
        for (int i = 0; i < 2; i++) {
            out.add("127.0.0.6 -> " + get(port, "127.0.0.6", "/"));
        }
        return out;
    }

    @Test
    void frontendOwnTableLimitsLikeHaproxy() throws Exception {
        List<String> fromHaproxy = burst(both.haproxyPort("p_rl"));
        List<String> fromBerth = burst(both.berthPort("p_rl"));
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        // ten requests pass, the 11th onwards of the same source are refused (403: deny's default status)
        assertThat(fromHaproxy.subList(9, 12)).containsExactly("127.0.0.5 -> 200", "127.0.0.5 -> 403",
                "127.0.0.5 -> 403");
        assertThat(fromHaproxy.subList(13, 15)).containsOnly("127.0.0.6 -> 200");
        assertThat(berthTable("fe_rl")).isEqualTo(haproxyTable("fe_rl"))
                .containsEntry("127.0.0.5", "http_req_rate(10000)=13");
    }
}
