package io.berth.api;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static io.berth.api.TrafficDifferentialIT.get;
import static io.berth.api.TrafficDifferentialIT.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stats page of {@code stats enable|uri|refresh|auth|realm} served by the data plane: basic auth (the 401
 * compared byte for byte with HAProxy 2.6's), the page's rows and states after traffic and a runtime change,
 * {@code ;csv}, and requests beside the URI still going to the servers.
 */
class StatsPageIT {
    static final String CONFIG = """
            defaults
                mode http
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            listen web
                bind 127.0.0.1:${web}
                stats enable
                stats uri /stats
                stats refresh 5s
                stats auth admin:secret
                stats realm Berth\\ Stats
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2} disabled
            """;

    Backends backends = Backends.start(2);
    BerthInstance berth;
    Haproxy haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (berth != null) {
            berth.close();
        }
        backends.close();
    }

    static String authorized(String path) {
        return "GET " + path + " HTTP/1.1\r\nhost: test\r\nauthorization: Basic "
                + Base64.getEncoder().encodeToString("admin:secret".getBytes()) + "\r\nconnection: close\r\n\r\n";
    }

    @Test
    void pageNeedsAuthAndShowsEveryProxyAndServer() throws Exception {
        backends.get("s1").respond(Reply.ok("hello\n"));
        berth = BerthInstance.start(CONFIG, backends);
        HttpServices.install(berth.runtime());
        int port = berth.port("web");

        assertThat(http(port, get("/stats"))).isEqualTo("HTTP/1.1 401 Unauthorized\r\n"
                + "content-length: 112\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n"
                + "www-authenticate: Basic realm=\"Berth Stats\"\r\nconnection: close\r\n\r\n"
                + "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n"
                + "</body></html>\n");
        assertThat(http(port, get("/other"))).startsWith("HTTP/1.1 200 OK\r\n").endsWith("hello\n");
        assertThat(backends.get("s1").requests()).hasSize(1);

        String page = http(port, authorized("/stats"));
        assertThat(page).startsWith("HTTP/1.1 200 OK\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n"
                + "refresh: 5\r\n");
        assertThat(page).contains("<h2>web</h2>")
                .contains("<tr class=fe><td class=n>FRONTEND</td><td>OPEN</td>")
                .contains("<tr class=nocheck><td class=n>s1</td><td>no check</td><td>1</td><td>1</td><td>0</td>"
                        + "<td>0</td><td>1</td><td></td><td>1</td><td>1</td><td>0</td>")
                .contains("<tr class=maint><td class=n>s2</td><td>MAINT</td>")
                .contains("<tr class=be><td class=n>BACKEND</td><td>UP</td>");
        assertThat(backends.get("s1").requests()).hasSize(1);

        String csv = http(port, authorized("/stats;csv"));
        assertThat(csv).contains("content-type: text/plain\r\n").contains("\r\n\r\n" + StatCsv.HEADER)
                .contains("\nweb,s1,0,0,0,1,,1,");
        var rt = berth.runtime();
        rt.backend("web").servers().byName("s2").setAdminMaint(false);
        assertThat(http(port, authorized("/stats;norefresh"))).doesNotContain("refresh: 5")
                .contains("<tr class=nocheck><td class=n>s2</td><td>no check</td>");
        assertThat(rt.frontend("web").counters.intercepted.sum()).as("401, page, csv, page").isEqualTo(4);

        // keep-alive: the page is answered like a return, the connection serves the next request
        try (io.berth.testkit.RawClient c = new io.berth.testkit.RawClient(port)) {
            String auth = Base64.getEncoder().encodeToString("admin:secret".getBytes());
            var first = c.send("GET /stats HTTP/1.1\r\nhost: t\r\nauthorization: Basic " + auth + "\r\n\r\n")
                    .readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("connection")).isNull();
            assertThat(first.bodyText()).endsWith("</body></html>\n");
            var second = c.send("GET /next HTTP/1.1\r\nhost: t\r\n\r\n").readResponse();
            assertThat(second.bodyText()).isEqualTo("hello\n");
        }
    }

    @Test
    void unauthorizedAnswerIsHaproxys() throws Exception {
        Haproxy.assumeInstalled();
        Map<String, String> hv = new HashMap<>(backends.placeholders());
        String hconfig = BerthInstance.substitute(CONFIG, hv);
        int hport = Integer.parseInt(hv.get("web"));
        haproxy = Haproxy.start(hconfig, hport);
        berth = BerthInstance.start(CONFIG, backends);
        HttpServices.install(berth.runtime());
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> http(hport, get("/stats")).startsWith("HTTP/1.1 401"));
        assertThat(http(berth.port("web"), get("/stats"))).isEqualTo(http(hport, get("/stats")));
        String h = http(hport, authorized("/stats"));
        String b = http(berth.port("web"), authorized("/stats"));
        assertThat(b.substring(0, b.indexOf("refresh: 5\r\n"))).isEqualTo(h.substring(0, h.indexOf("refresh: 5\r\n")));
    }
}
