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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two and three Berth sections on 127.0.0.1 replicating tables over real sockets. */
class PeerSectionIT {
    private MultiThreadIoEventLoopGroup group;
    private final List<PeerSection> sections = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void loops() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        sections.forEach(PeerSection::stop);
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private PeerSection start(PeersSpec spec, String name, StickTable... tables) throws Exception {
        PeerSection s = PeerSection.start(spec, name, List.of(tables), group, NioServerSocketChannel.class,
                NioSocketChannel.class, m -> log.add(name + ": " + m));
        sections.add(s);
        return s;
    }

    private static StickTable ipTable() {
        return PeerFixtures.table("be_src", KeyType.IP, 4, 600000, "server_id", "gpc0", "conn_cnt",
                "bytes_in_cnt", "server_key");
    }

    private static StickTable strTable() {
        return PeerFixtures.table("t_str", KeyType.STRING, 9, 3600000, "server_id");
    }

    private static int[] ip(String a) throws Exception {
        return StickKeys.encode(Sample.ofIp(InetAddress.getByName(a)), KeyType.IP, 4);
    }

    private static int[] str(String s) {
        return StickKeys.encode(Sample.ofString(s), KeyType.STRING, 9);
    }

    @Test
    void liveUpdatesReachTheOtherPeerAndARestartedPeerIsTaught() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("a", PeerFixtures.freePort());
        ports.put("b", PeerFixtures.freePort());
        PeersSpec spec = PeerFixtures.section(ports);
        StickTable aIp = ipTable();
        StickTable aStr = strTable();
        PeerSection a = start(spec, "a", aIp, aStr);
        StickTable bIp = ipTable();
        StickTable bStr = strTable();
        PeerSection b = start(spec, "b", bIp, bStr);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.connected().equals(List.of("b"))
                && b.connected().equals(List.of("a")));

        PeerFixtures.put(aIp, ip("127.0.0.9"), "server_id", 1, "gpc0", 3, "conn_cnt", 300,
                "bytes_in_cnt", 5_000_000_000L, "server_key", "s1");
        PeerFixtures.put(aStr, str("abc"), "server_id", 7);
        PeerFixtures.put(bStr, str("abcdefgh"), "server_id", 8);
        await().atMost(Duration.ofSeconds(5)).until(() -> PeerFixtures.dump(bIp).size() == 1
                && PeerFixtures.dump(bStr).size() == 2 && PeerFixtures.dump(aStr).size() == 2);
        assertThat(PeerFixtures.dump(bIp)).containsExactly(
                "127.0.0.9 server_id=1 gpc0=3 conn_cnt=300 bytes_in_cnt=5000000000 server_key=s1");
        assertThat(PeerFixtures.dump(bStr)).containsExactly("abc server_id=7", "abcdefgh server_id=8");
        assertThat(PeerFixtures.dump(aStr)).containsExactly("abc server_id=7", "abcdefgh server_id=8");

        // b restarts empty: it asks a for a resync and is taught everything
        b.stop();
        sections.remove(b);
        StickTable b2Ip = ipTable();
        StickTable b2Str = strTable();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            sections.add(PeerSection.start(spec, "b", List.of(b2Ip, b2Str), group, NioServerSocketChannel.class,
                    NioSocketChannel.class, m -> log.add("b2: " + m)));
            return true;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> PeerFixtures.dump(b2Str).size() == 2
                && PeerFixtures.dump(b2Ip).size() == 1);
        assertThat(PeerFixtures.dump(b2Ip)).containsExactly(
                "127.0.0.9 server_id=1 gpc0=3 conn_cnt=300 bytes_in_cnt=5000000000 server_key=s1");
        assertThat(PeerFixtures.dump(b2Str)).containsExactly("abc server_id=7", "abcdefgh server_id=8");
        assertThat(sections.get(sections.size() - 1).upToDate()).isTrue();
    }

    @Test
    void threeInstancesShareEveryWrite() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String n : List.of("x", "y", "z")) {
            ports.put(n, PeerFixtures.freePort());
        }
        PeersSpec spec = PeerFixtures.section(ports);
        Map<String, StickTable> t = new LinkedHashMap<>();
        Map<String, PeerSection> s = new LinkedHashMap<>();
        for (String n : ports.keySet()) {
            t.put(n, strTable());
            s.put(n, start(spec, n, t.get(n)));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> s.values().stream()
                .allMatch(p -> p.connected().size() == 2));
        for (int i = 0; i < 50; i++) {
            String n = List.of("x", "y", "z").get(i % 3);
            PeerFixtures.put(t.get(n), str("k" + i), "server_id", i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> t.values().stream()
                .allMatch(x -> PeerFixtures.dump(x).size() == 50));
        assertThat(PeerFixtures.dump(t.get("x"))).isEqualTo(PeerFixtures.dump(t.get("y")))
                .isEqualTo(PeerFixtures.dump(t.get("z"))).contains("k49 server_id=49", "k0 server_id=0");

        // propagation delay x -> y and z, one write at a time, reported (not asserted: 2 shared cores)
        long[] delays = new long[300];
        for (int i = 0; i < delays.length; i++) {
            int[] k = str("p" + i);
            long t0 = System.nanoTime();
            PeerFixtures.put(t.get("x"), k, "server_id", i);
            while (!present(t.get("y"), k) || !present(t.get("z"), k)) {
                Thread.onSpinWait();
            }
            delays[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(delays);
        System.out.printf("peers propagation x->y,z over %d writes: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                delays.length, delays[delays.length / 2] / 1e6, delays[delays.length * 99 / 100] / 1e6,
                delays[delays.length - 1] / 1e6);
        assertThat(delays[delays.length * 99 / 100]).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(1));

        // z is killed and restarts empty: it gets the whole table back from x or y
        s.get("z").stop().get();
        sections.remove(s.get("z"));
        StickTable z2 = strTable();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            sections.add(PeerSection.start(spec, "z", List.of(z2), group, NioServerSocketChannel.class,
                    NioSocketChannel.class, m -> log.add("z2: " + m)));
            return true;
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> PeerFixtures.dump(z2).size() == 350);
        assertThat(PeerFixtures.dump(z2)).isEqualTo(PeerFixtures.dump(t.get("x")));
        // and its own writes flow to the others again, through its tables' change listener
        PeerFixtures.put(z2, str("fromz2"), "server_id", 99);
        await().atMost(Duration.ofSeconds(5)).until(() -> present(t.get("x"), str("fromz2"))
                && present(t.get("y"), str("fromz2")));
    }

    private static boolean present(StickTable t, int[] key) {
        return t.update(key, io.berth.persist.stick.StickClock.now(), false, false, e -> { });
    }

    private static String probe(int port, String hello) throws Exception {
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.setSoTimeout(3000);
            c.getOutputStream().write(hello.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = c.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1) + "<EOF>";
        }
    }

    @Test
    void handshakeErrorsAnswerHaproxyStatusCodesAndClose() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("hapA", PeerFixtures.freePort());
        ports.put("hapB", PeerFixtures.freePort());
        PeerSection a = start(PeerFixtures.section(ports), "hapA", strTable());
        int port = a.localAddress().getPort();
        assertThat(probe(port, "HAProxyS 2.1\nhapA\nnobody 1 1\n")).isEqualTo("504\n<EOF>");
        assertThat(probe(port, "HAProxyS 2.1\nwrongname\nhapB 1 1\n")).isEqualTo("503\n<EOF>");
        assertThat(probe(port, "HAProxyS 2.2\nhapA\nhapB 1 1\n")).isEqualTo("502\n<EOF>");
        assertThat(probe(port, "HAProxyX 2.1\nhapA\nhapB 1 1\n")).isEqualTo("501\n<EOF>");
        // a hostile stream after a good handshake: protocol error 01 00, then close, table untouched
        String reply = probe(port, "HAProxyS 2.1\nhapA\nhapB 1 1\n" + "\n\200\t\0\0\0\1\3abc\7");
        assertThat(reply).startsWith("200\n").endsWith("\u0001\u0000<EOF>");
        assertThat(log).anyMatch(l -> l.contains("update before any table definition"));
    }
}
