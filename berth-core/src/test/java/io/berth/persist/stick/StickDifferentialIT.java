package io.berth.persist.stick;

import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Differential test: real HAProxy 2.6 and Berth run the same configuration ({@code stick on src} in a size-4
 * table that fills, evicts and expires; {@code stick on hdr(x-tenant-id)}; {@code stick on src} in TCP mode; a
 * full size-4 table that refuses new clients)
 * against the same two backends, each answering its own name; the same sequence of clients (sources bound to
 * 127.0.0.x) must reach the same servers on both.
 */
class StickDifferentialIT {
    private static final String CONFIG = """
            defaults
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            listen st_src
                mode http
                bind 127.0.0.1:${p_src}
                balance roundrobin
                stick-table type ip size 4 expire 1500ms
                stick on src
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            listen st_hdr
                mode http
                bind 127.0.0.1:${p_hdr}
                balance roundrobin
                stick-table type string len 64 size 50k expire 1h
                stick on hdr(x-tenant-id)
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            listen st_rand
                mode http
                bind 127.0.0.1:${p_rand}
                balance roundrobin
                stick-table type ip size 4 expire 1h
                stick on src
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            listen st_tcp
                mode tcp
                bind 127.0.0.1:${p_tcp}
                balance roundrobin
                stick-table type ip size 100 expire 1h
                stick on src
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            """;

    private static Backends backends;
    private static Haproxy haproxy;
    private static final Map<String, String> HA = new HashMap<>();
    private static BerthInstance berth;

    @BeforeAll
    static void start() throws Exception {
        Haproxy.assumeInstalled();
        backends = Backends.start(2);
        backends.get("s1").respond(Reply.ok("s1"));
        backends.get("s2").respond(Reply.ok("s2"));
        HA.putAll(backends.placeholders());
        String text = BerthInstance.substitute(CONFIG, HA);
        // probe an HTTP listener: a bare TCP connection to st_tcp would take a round-robin turn
        haproxy = Haproxy.start(text, Integer.parseInt(HA.get("p_hdr")));
        berth = BerthInstance.start(CONFIG, backends);
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (berth != null) {
            berth.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    /** One HTTP request from {@code source}; returns the body (the server's name). */
    private static String http(int port, String source, String tenant) throws IOException {
        try (RawClient c = new RawClient(source, port)) {
            c.send("GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n"
                    + (tenant == null ? "" : "x-tenant-id: " + tenant + "\r\n") + "\r\n");
            String all = c.readAll();
            return all.substring(all.indexOf("\r\n\r\n") + 4).trim();
        }
    }

    /** One TCP connection carrying an HTTP request (the backends speak HTTP); returns the server's name. */
    private static String tcp(int port, String source) throws IOException {
        return http(port, source, null);
    }

    private static List<String> run(Map<String, String> ports, List<String> steps) throws Exception {
        List<String> out = new ArrayList<>();
        for (String step : steps) {
            if (step.equals("wait")) {
                // let the 1500 ms entries of st_src expire on both sides
                await().pollDelay(Duration.ofMillis(1800)).atMost(Duration.ofSeconds(3)).until(() -> true);
                continue;
            }
            // HAProxy orders entries by expiry in whole milliseconds: requests inside the same millisecond tie and
            // its eviction order among them is not defined, so keep the clients a few milliseconds apart
            await().pollDelay(Duration.ofMillis(4)).until(() -> true);
            String[] f = step.split(" ");
            int port = Integer.parseInt(ports.get(f[0]));
            String got = switch (f[0]) {
                case "p_hdr" -> http(port, "127.0.0.1", f[1]);
                case "p_tcp" -> tcp(port, f[1]);
                default -> http(port, f[1], null);
            };
            out.add(step + " -> " + got);
        }
        return out;
    }

    @Test
    void sameServersAsHaproxyForTheSameClients() throws Exception {
        List<String> steps = new ArrayList<>();
        // fill the size-4 table, re-use, overflow (eviction), come back after eviction
        for (String ip : List.of("2", "3", "4", "5", "2", "6", "7", "3", "2", "8", "4", "5", "6")) {
            steps.add("p_src 127.0.0." + ip);
        }
        for (String t : List.of("alice", "bob", "carol", "alice", "dave", "bob", "carol", "erin", "alice")) {
            steps.add("p_hdr " + t);
        }
        for (String ip : List.of("11", "12", "13", "11", "12", "14", "13")) {
            steps.add("p_tcp 127.0.0." + ip);
        }
        steps.add("wait");
        for (String ip : List.of("2", "3", "4", "2", "3")) {
            steps.add("p_src 127.0.0." + ip);
        }
        Map<String, String> berthPorts = new HashMap<>();
        for (String p : List.of("p_src", "p_hdr", "p_tcp")) {
            berthPorts.put(p, berth.placeholder(p));
        }
        List<String> fromHaproxy = run(HA, steps);
        List<String> fromBerth = run(berthPorts, steps);
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        // the sequence must exercise stickiness: the tenant "alice" keeps her first server
        assertThat(fromHaproxy.stream().filter(s -> s.startsWith("p_hdr alice")).map(s -> s.substring(s.length() - 2))
                .distinct().count()).isEqualTo(1);
    }

    /**
     * A full table of 4 with 8 clients coming back at random: HAProxy's purge gives entries touched since they
     * were queued a second chance and visits at most 2 entries per new key, so it often refuses to store a new
     * client, who then goes round-robin again; Berth must refuse (and purge) exactly the same ones.
     */
    @Test
    void sameServersWhenAFullTableRefusesNewClients() throws Exception {
        List<String> steps = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            steps.add("p_rand 127.0.0." + (2 + random.nextInt(8)));
        }
        List<String> fromHaproxy = run(HA, steps);
        List<String> fromBerth = run(Map.of("p_rand", berth.placeholder("p_rand")), steps);
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
    }
}
