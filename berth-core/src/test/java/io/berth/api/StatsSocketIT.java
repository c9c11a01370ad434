package io.berth.api;

import io.berth.runtime.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real sockets: Unix and TCP, one-shot, {@code ;}, prompt, stats timeout, levels, the socket file's life. */
class StatsSocketIT {
    @TempDir
    Path dir;
    StatsSockets sockets;

    @AfterEach
    void stop() {
        if (sockets != null) {
            sockets.stop();
        }
    }

    StatsSockets start() throws Exception {
        String cfg = ApiCommandsTest.CONFIG.replace("stats socket /tmp/berth-api-test.sock mode 600 level admin\n",
                "stats socket " + dir.resolve("admin.sock") + " mode 640 level admin\n"
                        + "    stats socket " + dir.resolve("user.sock") + " level user\n"
                        + "    stats socket ipv4@127.0.0.1:0 level operator\n").replace("stats timeout 3s", "stats timeout 1s");
        Runtime rt = ApiCommandsTest.build(cfg);
        sockets = StatsSockets.start(rt, rt.config().global(), Map.of());
        return sockets;
    }

    static String exchange(SocketAddress addr, String send) throws IOException {
        try (SocketChannel c = addr instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            c.connect(addr);
            c.write(ByteBuffer.wrap(send.getBytes(StandardCharsets.UTF_8)));
            return readAll(c);
        }
    }

    static String readAll(SocketChannel c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (c.read(buf) >= 0) {
            buf.flip();
            out.write(buf.array(), 0, buf.limit());
            buf.clear();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneShotSemicolonsAndLevelsOverUnixAndTcp() throws Exception {
        start();
        SocketAddress admin = UnixDomainSocketAddress.of(dir.resolve("admin.sock"));
        SocketAddress user = UnixDomainSocketAddress.of(dir.resolve("user.sock"));
        InetSocketAddress tcp = (InetSocketAddress) sockets.addresses().get(2);
        assertThat(tcp.getPort()).isPositive();
        assertThat(exchange(admin, "show cli level\n")).isEqualTo("admin\n\n");
        assertThat(exchange(admin, "set server be/s1 weight 9; get weight be/s1\nshow cli level\n"))
                .isEqualTo("\n9 (initial 1)\n\n");
        assertThat(exchange(user, "show cli level;disable server be/s2\n")).isEqualTo("user\n\nPermission denied\n\n");
        assertThat(exchange(tcp, "show cli level;get weight be/s1\n")).isEqualTo("operator\n\n9 (initial 1)\n\n");
        assertThat(Files.getPosixFilePermissions(dir.resolve("admin.sock")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    }

    @Test
    void socketFileOwnerFollowsUidAndGid() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "changing a file's owner needs root: uid/gid test skipped");
        String cfg = ApiCommandsTest.CONFIG.replace("stats socket /tmp/berth-api-test.sock mode 600 level admin\n",
                "stats socket " + dir.resolve("owned.sock") + " mode 660 uid 1 gid 2 level admin\n");
        Runtime rt = ApiCommandsTest.build(cfg);
        sockets = StatsSockets.start(rt, rt.config().global(), Map.of());
        assertThat(Files.getAttribute(dir.resolve("owned.sock"), "unix:uid")).isEqualTo(1);
        assertThat(Files.getAttribute(dir.resolve("owned.sock"), "unix:gid")).isEqualTo(2);
        assertThat(Files.getPosixFilePermissions(dir.resolve("owned.sock")))
                .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
    }

    @Test
    void promptModeKeepsTheConnectionUntilQuit() throws Exception {
        start();
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(dir.resolve("admin.sock")));
            c.write(ByteBuffer.wrap("prompt\nshow cli level\nget weight be/s2\nquit\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(readAll(c)).isEqualTo("\n> admin\n\n> 4 (initial 4)\n\n> ");
        }
    }

    @Test
    void idleClientsAreDroppedAfterStatsTimeoutWithoutDisturbingOthers() throws Exception {
        start();
        SocketAddress admin = UnixDomainSocketAddress.of(dir.resolve("admin.sock"));
        try (SocketChannel idle = SocketChannel.open(StandardProtocolFamily.UNIX);
             SocketChannel garbage = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            idle.connect(admin);
            garbage.connect(admin);
            garbage.write(ByteBuffer.wrap(new byte[]{0, (byte) 0xff, ';', ';', '\\'}));
            assertThat(exchange(admin, "show backend\n")).isEqualTo("# name\nbe\nli\n\n");
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> readAll(idle) != null);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(500));
        }
    }

    @Test
    void staleSocketFileIsReplacedAndRemovedOnStop() throws Exception {
        Files.writeString(dir.resolve("admin.sock"), "left by a crashed process");
        start();
        assertThat(exchange(UnixDomainSocketAddress.of(dir.resolve("admin.sock")), "show cli level\n"))
                .isEqualTo("admin\n\n");
        sockets.stop();
        sockets = null;
        assertThat(dir.resolve("admin.sock")).doesNotExist();
        assertThat(dir.resolve("user.sock")).doesNotExist();
    }
}
