package io.berth.peers;

import io.berth.model.PeersSpec;
import io.berth.model.StickTableSpec.KeyType;
import io.berth.persist.stick.StickKeys;
import io.berth.persist.stick.StickTable;
import io.berth.sample.Sample;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interop with real HAProxy 2.6 in one peers section ("hap" = HAProxy, "berth" = this process): entries written
 * on either side appear on the other for every key type, with server_id, counters, a rate and server_key;
 * either side restarted empty is taught everything by the other.
 */
class HaproxyPeersIT {
    private static final String TABLES = """
            backend t_ip
                stick-table type ip size 1k expire 10m peers p store server_id,gpc0,conn_cnt,http_req_rate(10s),server_key
            backend t_v6
                stick-table type ipv6 size 1k expire 10m peers p store server_id,gpc0
            backend t_int
                stick-table type integer size 1k expire 10m peers p store conn_cnt,bytes_in_cnt
            backend t_str
                stick-table type string len 8 size 1k expire 1h peers p store server_id
            backend t_bin
                stick-table type binary len 8 size 1k expire 1h peers p store gpc0
            """;

    @TempDir
    Path dir;
    private MultiThreadIoEventLoopGroup group;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<PeerSection> sections = new ArrayList<>();
    private final List<HaproxyProcess> haproxies = new ArrayList<>();
    private PeersSpec spec;
    private String config;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HaproxyProcess.BINARY),
                "HAProxy 2.6 not installed (/usr/sbin/haproxy): differential test skipped");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        int hap = PeerFixtures.freePort();
        int berth = PeerFixtures.freePort();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("hap", hap);
        ports.put("berth", berth);
        spec = PeerFixtures.section(ports);
        config = """
                global
                    stats socket ${sock} mode 600 level admin
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                peers p
                    peer hap 127.0.0.1:%d
                    peer berth 127.0.0.1:%d
                """.formatted(hap, berth) + TABLES;
    }

    @AfterEach
    void tearDown() throws Exception {
        sections.forEach(PeerSection::stop);
        for (HaproxyProcess h : haproxies) {
            h.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Berth's side: the same five tables. */
    private static Map<String, StickTable> berthTables() {
        Map<String, StickTable> t = new LinkedHashMap<>();
        t.put("t_ip", PeerFixtures.table("t_ip", KeyType.IP, 4, 600000, "server_id", "gpc0", "conn_cnt",
                "http_req_rate(10000)", "server_key"));
        t.put("t_v6", PeerFixtures.table("t_v6", KeyType.IPV6, 16, 600000, "server_id", "gpc0"));
        t.put("t_int", PeerFixtures.table("t_int", KeyType.INTEGER, 4, 600000, "conn_cnt", "bytes_in_cnt"));
        t.put("t_str", PeerFixtures.table("t_str", KeyType.STRING, 9, 3600000, "server_id"));
        t.put("t_bin", PeerFixtures.table("t_bin", KeyType.BINARY, 8, 3600000, "gpc0"));
        return t;
    }

    private PeerSection berth(Map<String, StickTable> t) throws Exception {
        PeerSection s = PeerSection.start(spec, "berth", t.values(), group, NioServerSocketChannel.class,
                NioSocketChannel.class, m -> log.add(m));
        sections.add(s);
        return s;
    }

    private HaproxyProcess haproxy(String name) throws Exception {
        HaproxyProcess h = HaproxyProcess.start(dir, name, config, "hap");
        haproxies.add(h);
        await().atMost(Duration.ofSeconds(10)).until(h::ready);
        return h;
    }

    private static int[] key(KeyType type, int size, Sample s) {
        return StickKeys.encode(s, type, size);
    }

    private void writeOnBerth(PeerSection s, Map<String, StickTable> t) throws Exception {
        StickTable ip = t.get("t_ip");
        PeerFixtures.put(ip, key(KeyType.IP, 4, Sample.ofIp(InetAddress.getByName("127.0.0.9"))),
                "server_id", 1, "gpc0", 3, "conn_cnt", 300, "http_req_rate", 4, "server_key", "s1");
        StickTable v6 = t.get("t_v6");
        PeerFixtures.put(v6, key(KeyType.IPV6, 16,
                Sample.ofIp(InetAddress.getByName("2001:db8::5"))), "server_id", 2, "gpc0", 7);
        StickTable in = t.get("t_int");
        PeerFixtures.put(in, key(KeyType.INTEGER, 4, Sample.ofInt(1234567)), "conn_cnt", 12,
                "bytes_in_cnt", 5_000_000_000L);
        StickTable str = t.get("t_str");
        PeerFixtures.put(str, key(KeyType.STRING, 9, Sample.ofString("abc")), "server_id", 7);
        StickTable bin = t.get("t_bin");
        PeerFixtures.put(bin, key(KeyType.BINARY, 8, Sample.ofString("ab")), "gpc0", 5);
    }

    private static final List<String> BERTH_WRITES_IN_HAPROXY = List.of(
            "t_ip key=127.0.0.9 server_id=1 gpc0=3 conn_cnt=300 http_req_rate(10000)=4 server_key=s1",
            "t_v6 key=2001:db8::5 server_id=2 gpc0=7",
            "t_int key=1234567 conn_cnt=12 bytes_in_cnt=5000000000",
            "t_str key=abc server_id=7",
            "t_bin key=6162000000000000 gpc0=5");

    private static List<String> haproxyEntries(HaproxyProcess h) throws Exception {
        List<String> out = new ArrayList<>();
        for (String t : List.of("t_ip", "t_v6", "t_int", "t_str", "t_bin")) {
            h.entries(t).forEach(e -> out.add(t + " " + e));
        }
        return out;
    }

    @Test
    void berthWritesAppearInHaproxyAndARestartedHaproxyIsTaught() throws Exception {
        Map<String, StickTable> t = berthTables();
        PeerSection s = berth(t);
        HaproxyProcess h = haproxy("h1");
        await().atMost(Duration.ofSeconds(15)).until(() -> s.connected().contains("hap"));
        writeOnBerth(s, t);
        await().atMost(Duration.ofSeconds(5)).until(() -> haproxyEntries(h).containsAll(BERTH_WRITES_IN_HAPROXY));
        assertThat(haproxyEntries(h)).containsExactlyElementsOf(BERTH_WRITES_IN_HAPROXY);

        h.close();
        HaproxyProcess h2 = haproxy("h2");
        await().atMost(Duration.ofSeconds(15)).until(() -> haproxyEntries(h2).size() == 5);
        assertThat(haproxyEntries(h2)).containsExactlyElementsOf(BERTH_WRITES_IN_HAPROXY);
    }

    @Test
    void haproxyWritesAppearInBerthAndARestartedBerthIsTaught() throws Exception {
        Map<String, StickTable> t = berthTables();
        PeerSection s = berth(t);
        HaproxyProcess h = haproxy("h1");
        await().atMost(Duration.ofSeconds(15)).until(() -> s.connected().contains("hap"));
        h.cli("set table t_ip key 10.0.0.1 data.server_id 3 data.gpc0 9 data.conn_cnt 11 data.http_req_rate 2");
        h.cli("set table t_v6 key 2001:db8::7 data.server_id 4 data.gpc0 1");
        h.cli("set table t_int key 42 data.conn_cnt 8 data.bytes_in_cnt 6000000000");
        h.cli("set table t_str key xyz data.server_id 5");
        List<String> expected = List.of("t_ip 10.0.0.1 server_id=3 gpc0=9 conn_cnt=11 http_req_rate=2 server_key=null",
                "t_v6 2001:db8::7 server_id=4 gpc0=1", "t_int 42 conn_cnt=8 bytes_in_cnt=6000000000",
                "t_str xyz server_id=5");
        await().atMost(Duration.ofSeconds(5)).until(() -> berthEntries(t).containsAll(expected));
        assertThat(berthEntries(t)).containsExactlyElementsOf(expected);

        s.stop();
        sections.remove(s);
        Map<String, StickTable> t2 = berthTables();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> berth(t2) != null);
        await().atMost(Duration.ofSeconds(20)).until(() -> berthEntries(t2).size() == 4);
        assertThat(berthEntries(t2)).containsExactlyElementsOf(expected);
    }

    /** Idle peers send each other heartbeats: each side's {@code show peers} counts the other's as HAProxy does. */
    @Test
    void heartbeatsCountOnBothSides() throws Exception {
        PeerSection s = berth(berthTables());
        HaproxyProcess h = haproxy("h1");
        await().atMost(Duration.ofSeconds(15)).until(() -> s.connected().contains("hap"));
        // both send one after 3 s without sending
        await().atMost(Duration.ofSeconds(10)).until(() -> counter(s.describe(), "hap", "rx_hbt") >= 1
                && counter(h.cli("show peers"), "berth", "rx_hbt") >= 1);
        assertThat(counter(s.describe(), "hap", "tx_hbt")).isPositive();
        assertThat(counter(h.cli("show peers"), "berth", "tx_hbt")).isPositive();
        assertThat(counter(s.describe(), "hap", "proto_err")).isZero();
        assertThat(counter(h.cli("show peers"), "berth", "proto_err")).isZero();
    }

    /** One counter of peer {@code name} in a {@code show peers} dump (HAProxy's or Berth's: the same layout). */
    private static int counter(String dump, String name, String counter) {
        List<String> lines = dump.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains(" id=" + name + "(")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + counter + "=(\\d+)")
                        .matcher(lines.get(i + 1));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        throw new AssertionError("no " + counter + " for peer " + name + " in:\n" + dump);
    }

    private static List<String> berthEntries(Map<String, StickTable> t) {
        List<String> out = new ArrayList<>();
        t.forEach((n, table) -> PeerFixtures.dump(table).forEach(e -> out.add(n + " " + e)));
        return out;
    }
}
