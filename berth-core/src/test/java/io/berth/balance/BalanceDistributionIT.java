package io.berth.balance;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each balance algorithm's distribution measured end to end: a config text, Berth serving it on loopback, real
 * backends counting what they receive. The exact per-server counts are HAProxy's (weights 3/2/1: roundrobin and
 * static-rr 30/20/10 out of 60); hash-based algorithms must keep every key on one server and use all servers.
 * Which server HAProxy picks for each key is proven separately by {@link BalanceDifferentialIT}.
 */
class BalanceDistributionIT {
    @RegisterExtension
    static Backends backends = Backends.start(3);

    private static final Pattern SERVER = Pattern.compile("(?im)^x-server: (\\S+)\\r?$");

    @BeforeEach
    void answer() {
        for (String s : new String[] {"s1", "s2", "s3"}) {
            backends.get(s).respond(Reply.ok("ok"));
        }
    }

    private static String config(String balance, String serverArgs1, String serverArgs2, String serverArgs3) {
        return """
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend fe
                  bind 127.0.0.1:${fe}
                  default_backend be
                backend be
                  %s
                  http-response set-header X-Server %%[srv_name]
                  server s1 127.0.0.1:${s1} %s
                  server s2 127.0.0.1:${s2} %s
                  server s3 127.0.0.1:${s3} %s
                """.formatted(balance, serverArgs1, serverArgs2, serverArgs3);
    }

    private static final String W321 = "weight 3";

    @Test
    void roundrobinFollowsWeights() {
        Map<String, Integer> counts = count(config("balance roundrobin", W321, "weight 2", "weight 1"), 60,
                i -> "/", null, "127.0.0.1");
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("s1", 30, "s2", 20, "s3", 10));
    }

    @Test
    void staticRoundRobinFollowsWeights() {
        Map<String, Integer> counts = count(config("balance static-rr", W321, "weight 2", "weight 1"), 60,
                i -> "/", null, "127.0.0.1");
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("s1", 30, "s2", 20, "s3", 10));
    }

    @Test
    void leastconnRotatesAmongIdleServers() {
        Map<String, Integer> counts = count(config("balance leastconn", "", "", ""), 60, i -> "/", null, "127.0.0.1");
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("s1", 20, "s2", 20, "s3", 20));
    }

    @Test
    void firstFillsTheFirstServer() {
        Map<String, Integer> counts = count(config("balance first", "maxconn 10", "maxconn 10", "maxconn 10"), 30,
                i -> "/", null, "127.0.0.1");
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("s1", 30));
    }

    @Test
    void randomFollowsWeightsRoughly() {
        Map<String, Integer> counts = count(config("balance random", "weight 6", "weight 3", "weight 1"), 600,
                i -> "/", null, "127.0.0.1");
        assertThat(counts.getOrDefault("s1", 0)).isBetween(240, 480);
        assertThat(counts.getOrDefault("s2", 0)).isBetween(90, 270);
        assertThat(counts.getOrDefault("s3", 0)).isBetween(10, 120);
    }

    @Test
    void sourceHashKeepsEachClientOnOneServer() {
        for (String hashType : new String[] {"", "hash-type consistent"}) {
            String cfg = config("balance source\n  " + hashType, "", "", "");
            try (BerthInstance berth = BerthInstance.start(cfg, backends)) {
                Map<String, String> first = new HashMap<>();
                Map<String, Integer> used = new HashMap<>();
                for (int round = 0; round < 2; round++) {
                    for (int i = 1; i <= 60; i++) {
                        String src = "127.0." + (i / 250) + "." + (1 + i % 250);
                        String server = request(berth.port("fe"), "/", null, src);
                        String before = first.putIfAbsent(src, server);
                        assertThat(server).as("client " + src + " (" + hashType + ")").isEqualTo(
                                before == null ? server : before);
                        used.merge(server, 1, Integer::sum);
                    }
                }
                assertThat(used).as(hashType).containsOnlyKeys("s1", "s2", "s3");
            }
        }
    }

    @Test
    void uriUrlParamAndHeaderHashesKeepEachKeyOnOneServer() {
        String[][] cases = {
                {"balance uri", "uri"}, {"balance url_param id", "param"}, {"balance hdr(X-Key)", "header"},
                {"balance uri\n  hash-type consistent djb2 avalanche", "uri"}};
        for (String[] c : cases) {
            try (BerthInstance berth = BerthInstance.start(config(c[0], "", "", ""), backends)) {
                Map<String, String> first = new HashMap<>();
                Map<String, Integer> used = new HashMap<>();
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < 60; i++) {
                        String key = "key" + i;
                        String path = switch (c[1]) {
                            case "uri" -> "/" + key;
                            case "param" -> "/p?id=" + key;
                            default -> "/";
                        };
                        String server = request(berth.port("fe"), path, c[1].equals("header") ? key : null,
                                "127.0.0.1");
                        String before = first.putIfAbsent(key, server);
                        assertThat(server).as(c[0] + " key " + key).isEqualTo(before == null ? server : before);
                        used.merge(server, 1, Integer::sum);
                    }
                }
                assertThat(used).as(c[0]).containsOnlyKeys("s1", "s2", "s3");
            }
        }
    }

    private interface PathFor {
        String path(int i);
    }

    private static Map<String, Integer> count(String cfg, int n, PathFor path, String header, String source) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (BerthInstance berth = BerthInstance.start(cfg, backends)) {
            for (int i = 0; i < n; i++) {
                counts.merge(request(berth.port("fe"), path.path(i), header, source), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** One request on a fresh connection from {@code source}; returns the server named in X-Server. */
    private static String request(int port, String path, String keyHeader, String source) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            String req = "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                    + (keyHeader != null ? "X-Key: " + keyHeader + "\r\n" : "") + "\r\n";
            out.write(req.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            Matcher m = SERVER.matcher(text);
            assertThat(m.find()).as("response names its server: " + text).isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new AssertionError("request through Berth failed", e);
        }
    }
}
