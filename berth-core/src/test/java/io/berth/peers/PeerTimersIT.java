package io.berth.peers;

import io.berth.model.PeersSpec;
import io.berth.model.StickTableSpec.KeyType;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAProxy 2.6's peer timers against a raw socket playing the other peer (reference §6.7, experiment e16):
 * heartbeat after 3 s without sending, close after a silent 5 s period, no redial after an error status, redial
 * 5 s after a refused connect.
 */
class PeerTimersIT {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<PeerSection> sections = new ArrayList<>();

    @AfterEach
    void stop() {
        sections.forEach(PeerSection::stop);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private PeerSection start(int a, int b) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("a", a);
        ports.put("b", b);
        PeersSpec spec = PeerFixtures.section(ports);
        PeerSection s = PeerSection.start(spec, "a", List.of(PeerFixtures.table("t", KeyType.IP, 4, 0, "gpc0")),
                group, NioServerSocketChannel.class, NioSocketChannel.class, m -> { });
        sections.add(s);
        return s;
    }

    @Test
    void heartbeatsEveryThreeSecondsAndClosesASilentPeer() throws Exception {
        try (ServerSocket fakeB = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PeerSection a = start(PeerFixtures.freePort(), fakeB.getLocalPort());
            try (Socket c = new Socket("127.0.0.1", a.localAddress().getPort())) {
                long t0 = System.nanoTime();
                c.getOutputStream().write("HAProxyS 2.1\na\nb 1 1\n".getBytes(StandardCharsets.US_ASCII));
                c.setSoTimeout(15000);
                InputStream in = c.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                List<Long> heartbeatsMs = new ArrayList<>();
                int n;
                byte[] buf = new byte[64];
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    if (n == 2 && buf[0] == 0 && buf[1] == 4) {
                        heartbeatsMs.add((System.nanoTime() - t0) / 1_000_000);
                    }
                }
                long closedMs = (System.nanoTime() - t0) / 1_000_000;
                String hex = ByteBufUtil.hexDump(got.toByteArray());
                // 200, the resync request of a process not yet up to date, then heartbeats only
                assertThat(hex).startsWith("3230300a0000").matches("3230300a0000(0004)+");
                assertThat(heartbeatsMs.get(0)).isBetween(2900L, 3600L);
                assertThat(closedMs).isBetween(5000L, 10600L);
                // show peers counts them as HAProxy does: each heartbeat sent, none received, one silent close
                Map<String, Integer> counters = counters(a, "b");
                assertThat(counters).containsEntry("tx_hbt", heartbeatsMs.size()).containsEntry("rx_hbt", 0)
                        .containsEntry("no_hbt", 1).containsEntry("proto_err", 0);
                // the section also called b itself (the fake never answers): every call counts
                assertThat(counters.get("new_conn")).isPositive();
            }
        }
    }

    /** A heartbeat from the peer counts in rx_hbt; a message of no known type is a protocol error. */
    @Test
    void countsReceivedHeartbeatsAndProtocolErrors() throws Exception {
        try (ServerSocket fakeB = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PeerSection a = start(PeerFixtures.freePort(), fakeB.getLocalPort());
            try (Socket c = new Socket("127.0.0.1", a.localAddress().getPort())) {
                c.setSoTimeout(5000);
                c.getOutputStream().write("HAProxyS 2.1\na\nb 1 1\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = c.getInputStream();
                // 200 and the resync request
                assertThat(new String(in.readNBytes(6), StandardCharsets.ISO_8859_1)).startsWith("200\n");
                c.getOutputStream().write(new byte[] {0, 4, 0, 4});
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                        .until(() -> counters(a, "b").get("rx_hbt") == 2);
                c.getOutputStream().write(new byte[] {0, 0x63});
                // the answer: a protocol error message (error class 1, type 0), then the close
                assertThat(in.readAllBytes()).containsExactly(1, 0);
                assertThat(counters(a, "b")).containsEntry("proto_err", 1).containsEntry("rx_hbt", 2)
                        .containsEntry("no_hbt", 0);
            }
        }
    }

    /** The counters of peer {@code name} in the section's {@code show peers} text: "tx_hbt" → 3, ... */
    private static Map<String, Integer> counters(PeerSection s, String name) {
        List<String> lines = s.describe().lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains(" id=" + name + "(")) {
                Map<String, Integer> out = new LinkedHashMap<>();
                for (String word : lines.get(i + 1).trim().split(" ")) {
                    String[] kv = word.split("=", 2);
                    if (kv[1].matches("\\d+")) {
                        out.put(kv[0], Integer.parseInt(kv[1]));
                    }
                }
                return out;
            }
        }
        throw new AssertionError("no peer " + name + " in " + lines);
    }

    @Test
    void aPeerAnsweringAnErrorStatusIsNeverRedialled() throws Exception {
        try (ServerSocket fakeB = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            fakeB.setSoTimeout(200);
            start(PeerFixtures.freePort(), fakeB.getLocalPort());
            List<String> hellos = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4000);
            while (System.nanoTime() < end) {
                try (Socket c = fakeB.accept()) {
                    c.setSoTimeout(2000);
                    byte[] b = new byte[100];
                    int n = c.getInputStream().read(b);
                    hellos.add(new String(b, 0, n, StandardCharsets.US_ASCII).replaceAll(" \\d+ 1\n$", " PID 1\n"));
                    c.getOutputStream().write("503\n".getBytes(StandardCharsets.US_ASCII));
                } catch (SocketTimeoutException e) {
                    // nobody called in this slice
                }
            }
            // 4 s is past the 50-2050 ms redial of a closed session: exactly one call
            assertThat(hellos).containsExactly("HAProxyS 2.1\nb\na PID 1\n");
        }
    }

    @Test
    void aRefusedConnectIsRedialledAfterFiveSeconds() throws Exception {
        int bPort = PeerFixtures.freePort();
        long t0 = System.nanoTime();
        start(PeerFixtures.freePort(), bPort);
        Thread.onSpinWait();
        // let the first dial be refused, then start listening where b lives
        org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(1000)).until(() -> true);
        try (ServerSocket fakeB = new ServerSocket(bPort, 50, InetAddress.getLoopbackAddress())) {
            fakeB.setSoTimeout(8000);
            try (Socket c = fakeB.accept()) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ms).isBetween(4800L, 6500L);
            }
        }
    }
}
