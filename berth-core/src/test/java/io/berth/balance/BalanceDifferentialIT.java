package io.berth.balance;

import com.sun.net.httpserver.HttpServer;
import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeBuilder;
import io.berth.server.Server;
import io.berth.server.ServerGroup;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RuntimeApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test: real HAProxy 2.6 and Berth's balancers must choose the same server for the same key. HAProxy
 * runs one {@code listen} per algorithm/hash variant, each answering with {@code X-HA-Server: %s}; all servers
 * point at one tiny Java HTTP backend. For each proxy ≥ 1000 keys are sent (source keys through client sockets
 * bound to 127.x.y.z) and compared with Berth's pick, Berth's balancers being built from the same config text
 * by the parser and the runtime builder. Also re-checked after {@code disable server} on the stats socket.
 */
class BalanceDifferentialIT {
    private static final int KEYS = 1000;

    /** One listen section: name, balance/hash-type lines, servers "name weight [id]". */
    record Proxy(String name, String balanceLines, List<String> servers) {
    }

    private static final List<Proxy> PROXIES = List.of(
            new Proxy("src_map", "balance source", List.of("a 1", "b 1", "c 1")),
            new Proxy("src_map_w", "balance source", List.of("a 30", "b 20", "c 10")),
            new Proxy("src_cons", "balance source\n    hash-type consistent", List.of("a 1", "b 1", "c 1 7")),
            new Proxy("src_cons_w", "balance source\n    hash-type consistent",
                    List.of("a 10", "b 5", "c 1", "d 3")),
            new Proxy("src_map_aval", "balance source\n    hash-type map-based sdbm avalanche", List.of("a 1", "b 2", "c 3")),
            new Proxy("uri_sdbm", "balance uri\n    hash-type consistent sdbm", List.of("a 1", "b 1 12", "c 1")),
            new Proxy("uri_djb2_aval", "balance uri\n    hash-type consistent djb2 avalanche",
                    List.of("a 2", "b 1", "c 1")),
            new Proxy("uri_wt6_map", "balance uri\n    hash-type map-based wt6", List.of("a 1", "b 2", "c 3")),
            new Proxy("uri_crc32_map", "balance uri\n    hash-type map-based crc32", List.of("a 2", "b 4", "c 6")),
            new Proxy("uri_depth_len", "balance uri depth 2 len 14", List.of("a 1", "b 1", "c 1", "d 1")),
            new Proxy("uri_whole", "balance uri whole\n    hash-type consistent crc32", List.of("a 1", "b 1", "c 1")),
            new Proxy("hdr_cons", "balance hdr(X-Key)\n    hash-type consistent", List.of("a 1", "b 1", "c 1")),
            new Proxy("hdr_map_wt6", "balance hdr(X-Key)\n    hash-type map-based wt6 avalanche",
                    List.of("a 3", "b 1", "c 2")),
            new Proxy("hdr_domain", "balance hdr(X-Host) use_domain_only", List.of("a 1", "b 1", "c 1", "d 1")),
            new Proxy("param_cons", "balance url_param uid\n    hash-type consistent djb2 avalanche",
                    List.of("a 1", "b 1", "c 1")),
            new Proxy("param_map", "balance url_param uid\n    hash-type map-based crc32", List.of("a 1", "b 1", "c 1")),
            new Proxy("rr", "balance roundrobin", List.of("a 5", "b 3", "c 2", "d 7")),
            new Proxy("srr", "balance static-rr", List.of("a 5", "b 3", "c 2", "d 7")));

    private static HttpServer backend;
    private static Haproxy haproxy;
    private static Path dir;
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    private static final Map<String, ServerGroup> GROUPS = new LinkedHashMap<>();
    private static final Map<String, Balancer> BERTH = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Haproxy.assumeInstalled();
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        backend.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        backend.start();
        int be = backend.getAddress().getPort();
        dir = Files.createTempDirectory("berth-balance-it");
        StringBuilder cfg = new StringBuilder("""
                global
                    stats socket %s mode 600 level admin
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                """.formatted(dir.resolve("admin.sock")));
        for (Proxy p : PROXIES) {
            int port = BerthInstance.freePort();
            PORTS.put(p.name(), port);
            cfg.append("listen ").append(p.name()).append('\n')
                    .append("    bind 127.0.0.1:").append(port).append('\n')
                    .append("    http-response set-header X-HA-Server %s\n")
                    .append("    ").append(p.balanceLines()).append('\n');
            for (int i = 0; i < p.servers().size(); i++) {
                String[] f = p.servers().get(i).split(" ");
                int weight = Integer.parseInt(f[1]);
                boolean forced = f.length > 2;
                int id = forced ? Integer.parseInt(f[2]) : i + 1;
                cfg.append("    server ").append(f[0]).append(" 127.0.0.1:").append(be).append(" weight ")
                        .append(weight).append(forced ? " id " + id : "").append('\n');
            }
        }
        // Berth's side: the very same configuration text through the parser and the runtime builder.
        ConfigLoader.Result parsed = ConfigLoader.parse(Subsystems.keywords(), "h.cfg", cfg.toString());
        assertThat(parsed.ok()).as("Berth parses the HAProxy config: %s", parsed.diagnostics()).isTrue();
        Runtime runtime = RuntimeBuilder.build(parsed.config(), null);
        for (Proxy p : PROXIES) {
            RuntimeBackend b = runtime.backend(p.name());
            GROUPS.put(p.name(), b.servers());
            BERTH.put(p.name(), b.balancer());
        }
        haproxy = Haproxy.start(cfg.toString(), PORTS.values().stream().mapToInt(Integer::intValue).toArray());
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void sourceHashingPicksTheSameServerAsHaproxy() throws Exception {
        List<String> ips = randomIps(KEYS, 11);
        for (String px : List.of("src_map", "src_map_w", "src_cons", "src_cons_w", "src_map_aval")) {
            compare(px, ips, ip -> TestServers.source(ip), ip -> ask(px, ip, "/", Map.of()));
        }
    }

    @Test
    void uriHashingPicksTheSameServerAsHaproxy() throws Exception {
        List<String> uris = randomUris(KEYS, 12);
        for (String px : List.of("uri_sdbm", "uri_djb2_aval", "uri_wt6_map", "uri_crc32_map", "uri_depth_len",
                "uri_whole", "param_cons", "param_map")) {
            compare(px, uris, TestServers::uri, u -> ask(px, null, u, Map.of()));
        }
    }

    @Test
    void headerHashingPicksTheSameServerAsHaproxy() throws Exception {
        Random r = new Random(13);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            values.add(switch (i % 4) {
                case 0 -> "user" + r.nextInt(1_000_000);
                case 1 -> " user" + r.nextInt(1_000_000) + ", second";
                case 2 -> "\"a,b\"" + r.nextInt(1000);
                default -> "k" + r.nextInt(1_000_000) + "\t";
            });
        }
        for (String px : List.of("hdr_cons", "hdr_map_wt6")) {
            compare(px, values, v -> TestServers.header("X-Key", v), v -> ask(px, null, "/", Map.of("X-Key", v)));
        }
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            hosts.add(switch (i % 3) {
                case 0 -> "www.site" + r.nextInt(100_000) + ".com";
                case 1 -> "a.b.shop" + r.nextInt(100_000) + ".co.uk";
                default -> "host" + r.nextInt(100_000);
            });
        }
        compare("hdr_domain", hosts, h -> TestServers.header("X-Host", h),
                h -> ask("hdr_domain", null, "/", Map.of("X-Host", h)));
    }

    @Test
    void roundRobinSequencesMatchHaproxy() throws Exception {
        for (String px : List.of("rr", "srr")) {
            StringBuilder ha = new StringBuilder();
            StringBuilder berth = new StringBuilder();
            for (int i = 0; i < 170; i++) {
                ha.append(ask(px, null, "/", Map.of()));
                berth.append(BERTH.get(px).pick(TestServers.uri("/"), TestServers.NONE).name());
            }
            assertThat(berth.toString()).as(px).isEqualTo(ha.toString());
        }
    }

    @Test
    void disabledServerIsHandledLikeHaproxy() throws Exception {
        List<String> ips = randomIps(KEYS, 14);
        List<String> uris = randomUris(KEYS, 15);
        cli("disable server src_cons_w/b");
        cli("disable server uri_crc32_map/b");
        GROUPS.get("src_cons_w").byName("b").setAdminMaint(true);
        GROUPS.get("uri_crc32_map").byName("b").setAdminMaint(true);
        try {
            compare("src_cons_w", ips, TestServers::source, ip -> ask("src_cons_w", ip, "/", Map.of()));
            compare("uri_crc32_map", uris, TestServers::uri, u -> ask("uri_crc32_map", null, u, Map.of()));
        } finally {
            cli("enable server src_cons_w/b");
            cli("enable server uri_crc32_map/b");
            GROUPS.get("src_cons_w").byName("b").setAdminMaint(false);
            GROUPS.get("uri_crc32_map").byName("b").setAdminMaint(false);
        }
    }

    @FunctionalInterface
    interface Asker {
        String ask(String key) throws IOException;
    }

    private static void compare(String px, List<String> keys, Function<String, BalanceRequest> request, Asker ask)
            throws IOException {
        Map<String, Integer> spread = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        for (String k : keys) {
            String ha = ask.ask(k);
            Server s = BERTH.get(px).pick(request.apply(k), TestServers.NONE);
            String berth = s == null ? null : s.name();
            spread.merge(ha, 1, Integer::sum);
            if (!ha.equals(berth)) {
                mismatches.add(k + " haproxy=" + ha + " berth=" + berth);
            }
        }
        System.out.printf("%-14s %d keys, haproxy spread %s, mismatches %d%n", px, keys.size(), spread,
                mismatches.size());
        assertThat(mismatches).as(px).isEmpty();
        int usable = (int) GROUPS.get(px).all().stream().filter(Server::isUsable).count();
        assertThat(spread).as(px + " must exercise every usable server").hasSize(usable);
    }

    /** One request on a fresh connection (optionally from a given 127/8 address); returns X-HA-Server. */
    private static String ask(String px, String fromIp, String uri, Map<String, String> headers) throws IOException {
        try (Socket s = new Socket()) {
            if (fromIp != null) {
                s.bind(new InetSocketAddress(fromIp, 0));
            }
            s.connect(new InetSocketAddress("127.0.0.1", PORTS.get(px)), 2000);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("GET ").append(uri).append(" HTTP/1.1\r\nHost: t\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = readHead(s.getInputStream());
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("x-ha-server")) {
                    return line.substring(colon + 1).trim();
                }
            }
            throw new IOException(px + ": no X-HA-Server in " + head);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    private static String cli(String command) {
        String answer = RuntimeApi.cli(dir.resolve("admin.sock"), command);
        assertThat(answer.trim()).as(command).isEmpty();
        return answer;
    }

    private static List<String> randomIps(int n, long seed) {
        Random r = new Random(seed);
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ips.add("127." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)));
        }
        return ips;
    }

    private static List<String> randomUris(int n, long seed) {
        Random r = new Random(seed);
        String[] dirs = {"img", "api/v1", "static", "a/b/c", "x"};
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String q = switch (i % 4) {
                case 0 -> "?uid=" + r.nextInt(1_000_000);
                case 1 -> "?a=1&uid=" + r.nextInt(1_000_000) + "&z=" + r.nextInt(9);
                case 2 -> "?x=" + r.nextInt(10) + "&uid=";
                default -> "";
            };
            uris.add("/" + dirs[r.nextInt(dirs.length)] + "/" + r.nextInt(100_000) + ".html" + q);
        }
        return uris;
    }
}
