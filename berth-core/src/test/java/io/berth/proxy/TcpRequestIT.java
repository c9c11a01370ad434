package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code tcp-request connection|content} rules on real sockets: the usual connection rate limit and concurrent
 * connection limit of a TCP frontend (a refused connection gets no byte), content rules counting a flag per
 * request in HTTP mode (the request that crosses the limit is closed without a response) and per connection in
 * TCP mode. The expected table values are those HAProxy 2.6 showed for the same sequences (TcpRequestDifferentialIT
 * compares the two live).
 */
class TcpRequestIT {
    static final String CONFIG = """
            defaults
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe
                mode tcp
                bind 127.0.0.1:${p_fe}
                stick-table type ip size 100k expire 30s store conn_cur,conn_rate(10s),gpc0
                tcp-request connection track-sc0 src
                tcp-request connection reject if { sc_conn_rate(0) gt 5 }
                tcp-request connection reject if { src_conn_cur ge 3 }
                default_backend be_tcp
            frontend fe_http
                mode http
                bind 127.0.0.1:${p_http}
                tcp-request inspect-delay 5s
                tcp-request content track-sc1 src table be_tab
                tcp-request content sc-inc-gpc0(1) if { path /flag }
                tcp-request content reject if { sc1_get_gpc0 gt 1 }
                tcp-request content accept if { src 127.0.0.0/8 }
                default_backend be
            frontend fe_tcp
                mode tcp
                bind 127.0.0.1:${p_tcp}
                tcp-request content track-sc1 src table tcp_tab
                tcp-request content sc-inc-gpc0(1)
                tcp-request content reject if { sc1_get_gpc0 gt 2 }
                default_backend be_tcp
            frontend fe_hc
                mode http
                bind 127.0.0.1:${p_hc}
                stick-table type ip size 1k expire 1m store conn_cnt,conn_cur,sess_cnt,http_req_cnt,http_err_cnt
                tcp-request connection track-sc0 src
                tcp-request session reject if { sc0_sess_cnt ge 1 }
                default_backend be
            frontend fe_both
                mode http
                bind 127.0.0.1:${p_both}
                stick-table type ip size 1k expire 1m store conn_cnt,conn_cur,http_req_cnt
                tcp-request connection track-sc0 src
                http-request track-sc0 src table both_tab
                default_backend be
            backend both_tab
                stick-table type ip size 1k expire 1m store conn_cnt,conn_cur,http_req_cnt
            frontend fe_bk
                mode http
                bind 127.0.0.1:${p_bk}
                default_backend be_rules
            frontend fe_bkt
                mode tcp
                bind 127.0.0.1:${p_bkt}
                default_backend be_rules_tcp
            backend be_rules
                mode http
                stick-table type ip size 1k expire 1m store gpc0,conn_cnt,conn_cur,http_req_cnt
                tcp-request inspect-delay 5s
                tcp-request content track-sc2 src
                tcp-request content sc-inc-gpc0(2) if { path /flag }
                tcp-request content reject if { sc2_get_gpc0 gt 1 }
                server s1 127.0.0.1:${s1}
            backend be_rules_tcp
                mode tcp
                stick-table type ip size 1k expire 1m store gpc0,conn_cnt,conn_cur
                tcp-request content track-sc2 src
                tcp-request content sc-inc-gpc0(2)
                tcp-request content reject if { sc2_get_gpc0 gt 2 }
                server s1 127.0.0.1:${s1}
            backend be_tab
                stick-table type ip size 1k expire 1m store gpc0,conn_cnt,conn_cur,conn_rate(10s),http_req_cnt
            backend tcp_tab
                stick-table type ip size 1k expire 1m store gpc0,conn_cnt,conn_cur
            backend be
                mode http
                server s1 127.0.0.1:${s1}
            backend be_tcp
                mode tcp
                server s1 127.0.0.1:${s1}
            defaults rl
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
                tcp-request inspect-delay 5s
                tcp-request content track-sc1 src table dfl_tab
                tcp-request content sc-inc-gpc0(1) if { path /flag }
                tcp-request content reject if { sc1_get_gpc0 gt 1 }
            frontend fe_dfl
                bind 127.0.0.1:${p_dfl}
                default_backend be_dfl
            defaults rlb
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
                acl flagged path /flag
                acl forbidden path /forbidden
                tcp-request content track-sc2 src table dfl_tab2
                tcp-request content sc-inc-gpc0(2) if flagged
                tcp-request content reject if { sc2_get_gpc0 gt 1 }
                http-request deny if forbidden
                http-response set-header x-defaults rlb
            backend be_dfl
                server s1 127.0.0.1:${s1}
            defaults plain
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe_dfl2
                bind 127.0.0.1:${p_dfl2}
                default_backend be_dfl
            backend dfl_tab
                stick-table type ip size 1k expire 1m store gpc0,conn_cnt,conn_cur,http_req_cnt
            backend dfl_tab2
                stick-table type ip size 1k expire 1m store gpc0,conn_cnt,conn_cur,http_req_cnt
            """;

    static final String REQUEST = "GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";

    private static Backends backends;
    private static BerthInstance berth;

    @BeforeAll
    static void start() {
        backends = Backends.start(1);
        backends.get("s1").respond(r -> r.uri().startsWith("/missing") ? Reply.status(404) : Reply.ok("s1"));
        berth = BerthInstance.start(CONFIG, backends);
    }

    @AfterAll
    static void stop() {
        if (berth != null) {
            berth.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    private static int port(String name) {
        return Integer.parseInt(berth.placeholder(name));
    }

    /**
     * One relayed HTTP exchange over a new connection from {@code source}: the status, or -1 when the connection
     * was closed (or reset) without a byte. HAProxy's reset may arrive before the client even set up its streams.
     */
    static int exchange(String source, int port) {
        RawClient client;
        try {
            client = new RawClient(source, port);
        } catch (java.io.UncheckedIOException e) {
            if (String.valueOf(e.getCause().getMessage()).contains("reset")) {
                return -1;
            }
            throw e;
        }
        try (RawClient c = client) {
            c.timeout(2000);
            try {
                c.send(REQUEST);
            } catch (RuntimeException refusedBeforeWriting) {
                return c.readAll().isEmpty() ? -1 : -2;
            }
            String all = c.readAll();
            return all.isEmpty() ? -1 : Integer.parseInt(all.substring(9, 12));
        }
    }

    /** The table as HAProxy's {@code show table} prints the data of each key ("gpc0=0 conn_cnt=7 ..."). */
    static Map<String, String> table(BerthInstance berth, String name) {
        return berth.tableData(name);
    }

    @Test
    void sixthConnectionWithinTheRateWindowIsClosedWithoutAByte() {
        for (int i = 1; i <= 5; i++) {
            assertThat(exchange("127.0.0.2", port("p_fe"))).as("connection %d", i).isEqualTo(200);
        }
        assertThat(exchange("127.0.0.2", port("p_fe"))).as("connection 6").isEqualTo(-1);
        // conn_rate counts the refused connection too; conn_cur is given back by every connection
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(table(berth, "fe"))
                .containsEntry("127.0.0.2", "gpc0=0 conn_rate(10000)=6 conn_cur=0"));
        // another source is not limited
        assertThat(exchange("127.0.0.7", port("p_fe"))).isEqualTo(200);
    }

    @Test
    void thirdConcurrentConnectionIsRefusedWhileTwoStayOpen() {
        try (RawClient a = new RawClient("127.0.0.3", port("p_fe"));
             RawClient b = new RawClient("127.0.0.3", port("p_fe"))) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(table(berth, "fe"))
                    .containsEntry("127.0.0.3", "gpc0=0 conn_rate(10000)=2 conn_cur=2"));
            assertThat(exchange("127.0.0.3", port("p_fe"))).as("third").isEqualTo(-1);
            for (RawClient open : new RawClient[] {a, b}) {
                assertThat(open.send(REQUEST).readResponse().status()).isEqualTo(200);
            }
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(table(berth, "fe"))
                .containsEntry("127.0.0.3", "gpc0=0 conn_rate(10000)=3 conn_cur=0"));
        assertThat(exchange("127.0.0.3", port("p_fe"))).isEqualTo(200);
    }

    @Test
    void httpContentRulesRunForEachRequest() {
        try (RawClient c = new RawClient("127.0.0.4", port("p_http"))) {
            c.timeout(2000);
            for (String path : new String[] {"/a", "/flag", "/b"}) {
                assertThat(c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n").readResponse().status())
                        .as(path).isEqualTo(200);
            }
            // gpc0 becomes 2 > 1: the request is refused and the connection closed without a response
            c.send("GET /flag HTTP/1.1\r\nhost: x\r\n\r\n");
            assertThat(c.readAll()).isEmpty();
        }
        // HAProxy 2.6: 4 streams tracked, the refused one not counted as an HTTP request
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(table(berth, "be_tab"))
                .containsEntry("127.0.0.4", "gpc0=2 conn_cnt=4 conn_rate(10000)=4 conn_cur=0 http_req_cnt=3"));
        var fe = berth.runtime().frontend("fe_http");
        assertThat(fe.counters.deniedRequests.sum()).isEqualTo(1);
        assertThat(fe.totalRequests.get()).isEqualTo(3);
    }

    /** Plays keep-alive requests on a connection tracked at connection level; returns the statuses seen. */
    static List<String> connectionTrackedHttp(int port) {
        List<String> seen = new ArrayList<>();
        try (RawClient c = new RawClient("127.0.0.6", port)) {
            c.timeout(2000);
            for (String path : new String[] {"/a", "/missing", "/c"}) {
                seen.add(path + " -> " + c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n").readResponse()
                        .status());
            }
        }
        // a second session of the same source is refused by the session rule (sess_cnt already 1)
        seen.add("second session -> " + exchange("127.0.0.6", port));
        return seen;
    }

    /**
     * A backend's content rules: in HTTP mode once per request on a keep-alive connection (the request that
     * crosses the limit is closed without a response, and so is the next connection's), in TCP mode once per
     * connection.
     */
    static List<String> backendContentRules(int httpPort, int tcpPort) {
        List<String> seen = new ArrayList<>();
        try (RawClient c = new RawClient("127.0.0.7", httpPort)) {
            c.timeout(2000);
            for (String path : new String[] {"/a", "/flag", "/b"}) {
                seen.add("be " + path + " -> " + c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n")
                        .readResponse().status());
            }
            c.send("GET /flag HTTP/1.1\r\nhost: x\r\n\r\n");
            seen.add("be /flag again -> '" + c.readAll() + "'");
        }
        seen.add("be next -> " + exchange("127.0.0.7", httpPort));
        for (int i = 1; i <= 4; i++) {
            seen.add("be tcp " + i + " -> " + exchange("127.0.0.8", tcpPort));
        }
        return seen;
    }

    /**
     * Named defaults' content rules, before the section's own: a frontend's (in front of its backend's, which has
     * other defaults: HAProxy refuses one defaults with rules for both), and a backend's, for either frontend.
     */
    static List<String> defaultsRules(int sameDefaultsPort, int otherDefaultsPort) {
        List<String> seen = new ArrayList<>();
        String[] sources = {"127.0.0.9", "127.0.0.10"};
        int[] ports = {sameDefaultsPort, otherDefaultsPort};
        for (int i = 0; i < 2; i++) {
            try (RawClient c = new RawClient(sources[i], ports[i])) {
                c.timeout(2000);
                for (String path : new String[] {"/a", "/flag", "/b"}) {
                    seen.add("dfl" + i + " " + path + " -> " + c.send("GET " + path
                            + " HTTP/1.1\r\nhost: x\r\n\r\n").readResponse().status());
                }
                c.send("GET /flag HTTP/1.1\r\nhost: x\r\n\r\n");
                seen.add("dfl" + i + " /flag again -> '" + c.readAll() + "'");
            }
        }
        // the backend's defaults' http-request and http-response rules, whose ACLs are that section's
        try (RawClient c = new RawClient("127.0.0.12", otherDefaultsPort)) {
            c.timeout(2000);
            RawClient.Response a = c.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n").readResponse();
            seen.add("dfl2 /a -> " + a.status() + " x-defaults=" + a.header("x-defaults"));
            seen.add("dfl2 /forbidden -> " + c.send("GET /forbidden HTTP/1.1\r\nhost: x\r\n\r\n").readResponse()
                    .status());
        }
        return seen;
    }

    /** Three requests on one connection whose slot 0 the connection tracks, and an http-request rule tracks. */
    static List<String> sameSlotTwice(int port) {
        List<String> seen = new ArrayList<>();
        try (RawClient c = new RawClient("127.0.0.11", port)) {
            c.timeout(2000);
            for (String path : new String[] {"/a", "/b", "/c"}) {
                seen.add("both " + path + " -> " + c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n")
                        .readResponse().status());
            }
        }
        return seen;
    }

    @Test
    void aStreamDoesNotTrackASlotItsConnectionTracks() {
        assertThat(sameSlotTwice(port("p_both"))).containsExactly("both /a -> 200", "both /b -> 200",
                "both /c -> 200");
        // HAProxy 2.6: a stream starts with its connection's counters (stream_new copies sess->stkctr), so the
        // http-request track-sc0 finds the slot taken and tracks nothing; the connection's entry counts
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(table(berth, "fe_both"))
                .containsEntry("127.0.0.11", "conn_cnt=1 conn_cur=0 http_req_cnt=3"));
        assertThat(table(berth, "both_tab")).isEmpty();
    }

    @Test
    void namedDefaultsRulesRunBeforeTheSectionsOwn() {
        assertThat(defaultsRules(port("p_dfl"), port("p_dfl2"))).containsExactly("dfl0 /a -> 200",
                "dfl0 /flag -> 200", "dfl0 /b -> 200", "dfl0 /flag again -> ''", "dfl1 /a -> 200",
                "dfl1 /flag -> 200", "dfl1 /b -> 200", "dfl1 /flag again -> ''", "dfl2 /a -> 200 x-defaults=rlb",
                "dfl2 /forbidden -> 403");
        // the frontend's defaults refused the fourth request of 127.0.0.9 before its backend saw it; the backend's
        // refused 127.0.0.10's (HAProxy 2.6 counts the same, TcpRequestDifferentialIT)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(table(berth, "dfl_tab")).containsExactly(Map.entry("127.0.0.9",
                    "gpc0=2 conn_cnt=4 conn_cur=0 http_req_cnt=3"));
            assertThat(table(berth, "dfl_tab2")).containsOnly(
                    Map.entry("127.0.0.9", "gpc0=1 conn_cnt=3 conn_cur=0 http_req_cnt=3"),
                    Map.entry("127.0.0.10", "gpc0=2 conn_cnt=4 conn_cur=0 http_req_cnt=3"),
                    // the request the defaults' http-request rule denied passed the content rules: it counts
                    Map.entry("127.0.0.12", "gpc0=0 conn_cnt=2 conn_cur=0 http_req_cnt=2"));
        });
    }

    @Test
    void backendContentRulesRunOnceTheStreamReachesTheBackend() {
        assertThat(backendContentRules(port("p_bk"), port("p_bkt"))).containsExactly("be /a -> 200",
                "be /flag -> 200", "be /b -> 200", "be /flag again -> ''", "be next -> -1", "be tcp 1 -> 200",
                "be tcp 2 -> 200", "be tcp 3 -> -1", "be tcp 4 -> -1");
        // HAProxy 2.6's counts: every stream tracked (conn_cnt), only the requests that passed counted
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(table(berth, "be_rules")).containsEntry("127.0.0.7",
                    "gpc0=2 conn_cnt=5 conn_cur=0 http_req_cnt=3");
            assertThat(table(berth, "be_rules_tcp")).containsEntry("127.0.0.8", "gpc0=4 conn_cnt=4 conn_cur=0");
        });
    }

    @Test
    void connectionTrackedCountersAreInheritedByEachRequest() {
        assertThat(connectionTrackedHttp(port("p_hc"))).containsExactly("/a -> 200", "/missing -> 404", "/c -> 200",
                "second session -> -1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(table(berth, "fe_hc"))
                .containsEntry("127.0.0.6", "conn_cnt=2 conn_cur=0 sess_cnt=1 http_req_cnt=3 http_err_cnt=1"));
    }

    @Test
    void tcpContentRulesRunOncePerConnection() {
        assertThat(exchange("127.0.0.5", port("p_tcp"))).isEqualTo(200);
        assertThat(exchange("127.0.0.5", port("p_tcp"))).isEqualTo(200);
        assertThat(exchange("127.0.0.5", port("p_tcp"))).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(table(berth, "tcp_tab"))
                .containsEntry("127.0.0.5", "gpc0=3 conn_cnt=3 conn_cur=0"));
    }
}
