package io.berth.log;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code capture request|response header} through real HAProxy 2.6 and Berth: the {@code %hr %hs} fields of the
 * httplog line, the last occurrence of each header cut to its length, absent ones empty, the characters HAProxy
 * encodes ({@code " # { | }}, controls, non-ASCII) as {@code #XX}, taken before the rules rewrite anything; and
 * {@code capture cookie}'s {@code %CC %CS}: the first request cookie and server {@code Set-Cookie} whose text
 * starts with the name, cut to its length (the cookie the proxy inserts is not the server's).
 */
class HeaderCaptureDifferentialIT {
    private static SideBySide both;

    private static final String[] REQUESTS = {
        "GET /a HTTP/1.1\r\nhost: example.org\r\nx-fwd: 10.0.0.1\r\nx-fwd: 10.0.0.2\r\n"
                + "cookie: a=1; SRVID=s1; SRVX=zzzz\r\nconnection: close\r\n\r\n",
        "GET /b HTTP/1.1\r\nhost: h\r\nx-fwd: a|b{c}#d\"e\u00e9\r\nconnection: close\r\n\r\n",
        "GET /c HTTP/1.1\r\nhost: h\r\ncookie: x=1\r\ncookie: SRVQ=2\r\nconnection: close\r\n\r\n",
    };

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(r -> r.uri().equals("/a")
                ? Reply.status(302).header("location", "http://example.org/next").header("x-t", "1")
                        .header("set-cookie", "other=1").header("set-cookie", "SRVTOKEN=abcdefghijkl; path=/")
                : Reply.ok("ok"));
        both = SideBySide.start("""
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
                    capture request header Host len 7
                    capture request header X-Fwd len 20
                    capture response header Location len 12
                    capture response header X-T len 5
                    capture cookie SRV len 10
                    http-request set-header host rewritten
                    default_backend be
                backend be
                    cookie SRVID insert indirect nocache
                    server s1 127.0.0.1:${s1} cookie s1
                """, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    private static void play(int port) {
        for (String request : REQUESTS) {
            try (RawClient c = new RawClient(port)) {
                c.timeout(3000);
                c.send(request).readResponse();
            }
        }
    }

    /** {@code %CC %CS} (the eighth and ninth fields), then what follows {@code %sq/%bq} up to the request line. */
    private static String captures(String line) {
        String[] fields = line.split(" ");
        int at = 0;
        for (int field = 0; field < 12; field++) {
            at = line.indexOf(' ', at) + 1;
        }
        return fields[7] + " " + fields[8] + " " + line.substring(at, line.indexOf(" \"", at));
    }

    @Test
    void sameCapturesAsHaproxy() {
        play(both.haproxyPort("p_fe"));
        play(both.berthPort("p_fe"));
        await().atMost(Duration.ofSeconds(5)).until(() -> both.haproxy().logLines().stream()
                .filter(l -> l.contains("\"GET ")).count() == 3 && both.berth().httpLog().size() == 3);
        List<String> fromHaproxy = both.haproxy().logLines().stream().filter(l -> l.contains("\"GET "))
                .map(HeaderCaptureDifferentialIT::captures).toList();
        List<String> fromBerth = both.berth().httpLog().stream().map(HttpLogFormat::format)
                .map(HeaderCaptureDifferentialIT::captures).toList();
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        assertThat(fromHaproxy).containsExactly("SRVID=s1 SRVTOKEN=a {example|10.0.0.2} {http://examp|1}",
                "- - {h|a#7Cb#7Bc#7D#23d#22e#E9} {|}", "SRVQ=2 - {h|} {|}");
    }
}
