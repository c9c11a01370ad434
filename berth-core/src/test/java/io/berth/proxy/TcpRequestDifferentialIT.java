package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Differential test of {@code tcp-request} rules: the config of {@link TcpRequestIT} runs in real HAProxy 2.6 and
 * in Berth; the same clients (sources 127.0.0.x) connect to both, and which connections and requests are served
 * or refused must be the same (frontend and backend content rules), then every counter of every entry of the
 * tables, as HAProxy's {@code show table} prints them (conn_cur, conn_rate, conn_cnt, gpc0, http_req_cnt; only
 * {@code exp} differs).
 * HAProxy is started without port probes: they would count as connections in the tables.
 */
class TcpRequestDifferentialIT {
    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(1);
        backends.get("s1").respond(r -> r.uri().startsWith("/missing") ? Reply.status(404) : Reply.ok("s1"));
        both = SideBySide.start(TcpRequestIT.CONFIG, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /** Plays every scenario against one proxy; returns what each client saw. */
    private static List<String> play(Function<String, Integer> port, Function<String, Map<String, String>> table) {
        List<String> seen = new ArrayList<>();
        // connection rate: 5 pass, then refused while the rate is above 5
        for (int i = 1; i <= 7; i++) {
            seen.add("rate " + i + " -> " + TcpRequestIT.exchange("127.0.0.2", port.apply("p_fe")));
        }
        // concurrent connections: the third is refused while two are open, then served once one closed
        try (RawClient a = new RawClient("127.0.0.3", port.apply("p_fe"));
             RawClient b = new RawClient("127.0.0.3", port.apply("p_fe"))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> table.apply("fe").getOrDefault("127.0.0.3", "")
                    .contains("conn_cur=2"));
            seen.add("third -> " + TcpRequestIT.exchange("127.0.0.3", port.apply("p_fe")));
            seen.add("a -> " + a.send(TcpRequestIT.REQUEST).readResponse().status());
            seen.add("b -> " + b.send(TcpRequestIT.REQUEST).readResponse().status());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> table.apply("fe").getOrDefault("127.0.0.3", "")
                .contains("conn_cur=0"));
        seen.add("after -> " + TcpRequestIT.exchange("127.0.0.3", port.apply("p_fe")));
        // HTTP content rules, per request on one keep-alive connection
        try (RawClient c = new RawClient("127.0.0.4", port.apply("p_http"))) {
            c.timeout(2000);
            for (String path : new String[] {"/a", "/flag", "/b"}) {
                seen.add(path + " -> " + c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n").readResponse()
                        .status());
            }
            c.send("GET /flag HTTP/1.1\r\nhost: x\r\n\r\n");
            seen.add("/flag again -> '" + c.readAll() + "'");
        }
        // TCP content rules, once per connection
        for (int i = 1; i <= 4; i++) {
            seen.add("tcp " + i + " -> " + TcpRequestIT.exchange("127.0.0.5", port.apply("p_tcp")));
        }
        seen.addAll(TcpRequestIT.connectionTrackedHttp(port.apply("p_hc")));
        seen.addAll(TcpRequestIT.backendContentRules(port.apply("p_bk"), port.apply("p_bkt")));
        seen.addAll(TcpRequestIT.defaultsRules(port.apply("p_dfl"), port.apply("p_dfl2")));
        seen.addAll(TcpRequestIT.sameSlotTwice(port.apply("p_both")));
        return seen;
    }

    @Test
    void sameVerdictsAndSameCountersAsHaproxy() {
        List<String> fromHaproxy = play(both::haproxyPort, both::haproxyTable);
        List<String> fromBerth = play(both::berthPort, t -> TcpRequestIT.table(both.berth(), t));
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        assertThat(fromHaproxy).contains("rate 5 -> 200", "rate 6 -> -1", "third -> -1", "a -> 200",
                "/b -> 200", "/flag again -> ''", "tcp 2 -> 200", "tcp 3 -> -1");
        // the frontends' session and denial counters as show stat prints them
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(denials(both.berthCli("show stat")))
                .isEqualTo(denials(both.haproxyCli("show stat"))));
        assertThat(denials(both.berthCli("show stat"))).contains("fe stot=8 conn_tot=11 dcon=3 dses=0 dreq=0",
                "fe_hc stot=1 conn_tot=2 dcon=0 dses=1 dreq=0");
        for (String t : List.of("fe", "be_tab", "tcp_tab", "fe_hc", "be_rules", "be_rules_tcp", "dfl_tab",
                "dfl_tab2", "fe_both")) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<String, String> h = both.haproxyTable(t);
                assertThat(h).as(t).isNotEmpty();
                assertThat(TcpRequestIT.table(both.berth(), t)).as(t).isEqualTo(h);
            });
        }
        // a stream starts with its connection's counters: its own track-sc0 finds slot 0 taken and does nothing
        assertThat(both.haproxyTable("both_tab")).isEmpty();
        assertThat(TcpRequestIT.table(both.berth(), "both_tab")).isEmpty();
    }

    /** Each frontend's stot, conn_tot, dcon, dses and dreq from a {@code show stat} CSV. */
    private static List<String> denials(String csv) {
        return io.berth.testkit.RuntimeApi.statColumns(csv, List.of("stot", "conn_tot", "dcon", "dses", "dreq"))
                .stream().filter(r -> r.contains("/FRONTEND ")).map(r -> r.replace("/FRONTEND", "")).toList();
    }
}
