package io.berth.peers;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.StickTableSpec.KeyType;
import io.berth.persist.stick.StickKeys;
import io.berth.persist.stick.StickTable;
import io.berth.persist.stick.StickTables;
import io.berth.sample.Sample;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interop with real HAProxy 2.6 for a table declared by a {@code table} line inside the {@code peers} section:
 * both sides parse the same section, name the table {@code p/tp} locally and {@code /tp} on the wire, and an
 * entry written on either side appears in the other's {@code p/tp}.
 */
class PeersTableIT {
    @TempDir
    Path dir;
    private MultiThreadIoEventLoopGroup group;
    private Peers peers;
    private HaproxyProcess haproxy;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (peers != null) {
            peers.stop();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void entriesOfAPeersSectionTableTravelBothWaysUnderItsWireName() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HaproxyProcess.BINARY),
                "HAProxy 2.6 not installed (/usr/sbin/haproxy): differential test skipped");
        int hap = PeerFixtures.freePort();
        int berth = PeerFixtures.freePort();
        String section = """
                peers p
                    peer hap 127.0.0.1:%d
                    peer berth 127.0.0.1:%d
                    table tp type string len 16 size 1k expire 5m store gpc0
                """.formatted(hap, berth);
        String defaults = """
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                """;
        ConfigLoader.Result parsed = ConfigLoader.parse(Subsystems.keywords(), "berth.cfg", defaults + section);
        assertThat(parsed.texts()).isEmpty();
        StickTables tables = StickTables.build(parsed.config(), null);
        StickTable tp = tables.table("p/tp");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        peers = Peers.start(parsed.config(), tables, "berth", group, NioServerSocketChannel.class,
                NioSocketChannel.class, log::add, false);
        assertThat(peers.section("p").tables()).containsExactly(tp);

        haproxy = HaproxyProcess.start(dir, "h1", "global\n    stats socket ${sock} mode 600 level admin\n"
                + defaults + section, "hap");
        await().atMost(Duration.ofSeconds(10)).until(haproxy::ready);
        await().atMost(Duration.ofSeconds(15)).until(() -> peers.section("p").connected().contains("hap"));

        PeerFixtures.put(tp, StickKeys.encode(Sample.ofString("hello"), KeyType.STRING, 17), "gpc0", 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> !haproxy.entries("p/tp").isEmpty());
        assertThat(haproxy.entries("p/tp")).containsExactly("key=hello gpc0=3");
        assertThat(haproxy.cli("show table")).contains("# table: p/tp, type: string, size:1024, used:1");

        haproxy.cli("set table p/tp key world data.gpc0 9");
        await().atMost(Duration.ofSeconds(5)).until(() -> PeerFixtures.dump(tp).size() == 2);
        assertThat(PeerFixtures.dump(tp)).containsExactly("hello gpc0=3", "world gpc0=9");
        assertThat(log).as("closed sessions").isEmpty();
    }
}
