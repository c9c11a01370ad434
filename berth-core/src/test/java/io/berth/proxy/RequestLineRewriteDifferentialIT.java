package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http-request set-path|set-query|set-uri|set-method} through real HAProxy 2.6 and Berth: what request line
 * reaches the server (it answers with it), for origin-form and absolute URIs, with and without a query string;
 * an empty query drops the {@code ?}; a rewritten path is what the backend's rules and the routing then see.
 */
class RequestLineRewriteDifferentialIT {
    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(2);
        backends.get("s1").respond(r -> Reply.ok("s1 " + r.method() + " " + r.uri()));
        backends.get("s2").respond(r -> Reply.ok("s2 " + r.method() + " " + r.uri()));
        both = SideBySide.start(SideBySide.HTTP_DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:${p_fe}
                    http-request set-path /new%[path] if { path_beg /p }
                    http-request set-query y=2 if { path_beg /q }
                    http-request set-query "%[query]" if { path_beg /e }
                    http-request set-uri /z?%[query] if { path_beg /u }
                    http-request set-method POST if { path_beg /m }
                    http-request set-path /other if { path_beg /r }
                    use_backend be2 if { path /other }
                    default_backend be
                backend be
                    http-request set-header x-seen %[path]
                    server s1 127.0.0.1:${s1}
                backend be2
                    server s2 127.0.0.1:${s2}
                """, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    private static List<String> play(int port) {
        List<String> seen = new ArrayList<>();
        for (String line : List.of("GET /p/a?x=1", "GET /p", "GET http://h/p/a?x=1", "GET /q/a?x=1", "GET /q/a",
                "GET /q?", "GET /e/a?x=1", "GET /e/a", "GET /u/a?k=v", "GET /m/a", "GET /r/a?x")) {
            try (RawClient c = new RawClient(port)) {
                c.timeout(3000);
                RawClient.Response r = c.send(line + " HTTP/1.1\r\nhost: h\r\nconnection: close\r\n\r\n")
                        .readResponse();
                seen.add(line + " -> " + r.status() + " " + r.bodyText());
            }
        }
        return seen;
    }

    @Test
    void theServerGetsTheRequestLineHaproxySends() {
        List<String> fromHaproxy = both.sameOnBoth("p_fe", RequestLineRewriteDifferentialIT::play);
        assertThat(fromHaproxy).contains("GET /p/a?x=1 -> 200 s1 GET /new/p/a?x=1",
                "GET http://h/p/a?x=1 -> 200 s1 GET http://h/new/p/a?x=1", "GET /q/a -> 200 s1 GET /q/a?y=2",
                "GET /e/a -> 200 s1 GET /e/a", "GET /u/a?k=v -> 200 s1 GET /z?k=v", "GET /m/a -> 200 s1 POST /m/a",
                "GET /r/a?x -> 200 s2 GET /other?x");
    }
}
