package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replace-header}, {@code replace-value}, {@code replace-path} and {@code replace-uri} through real HAProxy
 * 2.6 and Berth: a value the regex finds a match in is replaced whole by the format, whose {@code \1}... are the
 * groups; {@code replace-value} works on each comma-separated value and keeps the separators; the path keeps its
 * query string. What reaches the server (it answers with the request line and the x- headers it got) and what
 * reaches the client ({@code http-response} rules on the server's headers).
 */
class RegexReplaceDifferentialIT {
    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(r -> Reply.ok(describe(r)).header("x-r", "foo1").header("x-r", "nofoo")
                .header("x-v", "a1, b2,a3"));
        both = SideBySide.start(SideBySide.HTTP_DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:${p_fe}
                    http-request replace-header x-a ^foo(.*)$ bar\\1
                    http-request replace-header x-b o X
                    http-request replace-value x-c ^a(.*)$ z\\1
                    http-request replace-header x-d (\\w+)=(\\w+) \\2=\\1;%[path]
                    http-request replace-path /old(.*) /new\\1
                    http-request replace-uri ^/u/(.*) /v/\\1 if { path_beg /u/ }
                    http-response replace-header x-r ^foo(.*)$ bar\\1
                    http-response replace-value x-v ^a(.*)$ z\\1
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

    /** The request line and the x- headers the server got, in order. */
    private static String describe(Recorded r) {
        return r.method() + " " + r.uri() + " " + r.headers().stream().filter(h -> h.getKey().startsWith("x-"))
                .map(h -> h.getKey() + "=" + h.getValue()).collect(Collectors.joining(" | "));
    }

    private static List<String> play(int port) {
        List<String> seen = new ArrayList<>();
        for (String uri : List.of("/old/x?q=1", "/u/a?b=c")) {
            try (RawClient c = new RawClient(port)) {
                c.timeout(3000);
                RawClient.Response r = c.send("GET " + uri + " HTTP/1.1\r\nhost: h\r\nx-a: foo1\r\nx-a: nofoo\r\n"
                        + "x-b: foo\r\nx-c: a1, b2,a3\r\nx-c: aa\r\nx-d: k=v\r\nconnection: close\r\n\r\n")
                        .readResponse();
                seen.add(uri + " -> server got: " + r.bodyText());
                seen.add(uri + " -> client got: " + r.headers().stream().filter(h -> h.getKey().startsWith("x-"))
                        .map(Map.Entry::getValue).collect(Collectors.joining(" | ")));
            }
        }
        return seen;
    }

    @Test
    void sameRewritesAsHaproxy() {
        List<String> fromHaproxy = both.sameOnBoth("p_fe", RegexReplaceDifferentialIT::play);
        assertThat(fromHaproxy).containsExactly(
                "/old/x?q=1 -> server got: GET /new/x?q=1 x-a=bar1 | x-a=nofoo | x-b=X | x-c=z1, b2,z3 | x-c=za"
                        + " | x-d=v=k;/old/x",
                "/old/x?q=1 -> client got: bar1 | nofoo | z1, b2,z3",
                "/u/a?b=c -> server got: GET /v/a?b=c x-a=bar1 | x-a=nofoo | x-b=X | x-c=z1, b2,z3 | x-c=za"
                        + " | x-d=v=k;/u/a",
                "/u/a?b=c -> client got: bar1 | nofoo | z1, b2,z3");
    }
}
