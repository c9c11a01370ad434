package io.berth.peers;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.StickTableSpec.KeyType;
import io.berth.persist.stick.StickKeys;
import io.berth.persist.stick.StickTables;
import io.berth.sample.Sample;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Peers built from configuration text: sections with the local peer, tables by {@code peers}, replication. */
class PeersIT {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Peers> running = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(Peers::stop);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void sectionsFromConfigReplicateOnlyTheirTables() throws Exception {
        String text = """
                peers mypeers
                    peer one 127.0.0.1:%d
                    peer two 127.0.0.1:%d
                peers other
                    peer elsewhere 127.0.0.1:1
                backend be_src
                    stick-table type ip size 1k expire 10m peers mypeers store gpc0
                backend be_local
                    stick-table type ip size 1k expire 10m store gpc0
                """.formatted(PeerFixtures.freePort(), PeerFixtures.freePort());
        ConfigLoader.Result r = ConfigLoader.parse(Subsystems.keywords(), "p.cfg", text);
        assertThat(r.errors()).isEmpty();
        StickTables one = StickTables.build(r.config(), null);
        StickTables two = StickTables.build(r.config(), null);
        Peers p1 = Peers.start(r.config(), one, Peers.localName("one", r.config()), group,
                NioServerSocketChannel.class, NioSocketChannel.class, log::add, false);
        running.add(p1);
        Peers p2 = Peers.start(r.config(), two, "two", group, NioServerSocketChannel.class, NioSocketChannel.class,
                m -> { }, false);
        running.add(p2);
        assertThat(log).containsExactly("Removing incomplete section 'peers other' (no peer named 'one').");
        assertThat(p1.sections()).extracting(PeerSection::localName).containsExactly("one");
        assertThat(p1.section("mypeers").sync().tables()).extracting(t -> t.definition().name())
                .containsExactly("be_src");

        int[] key = StickKeys.encode(Sample.ofString("10.1.2.3"), KeyType.IP, 4);
        PeerFixtures.put(one.table("be_src"), key, "gpc0", 4);
        PeerFixtures.put(one.table("be_local"), key, "gpc0", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> !PeerFixtures.dump(two.table("be_src")).isEmpty());
        assertThat(PeerFixtures.dump(two.table("be_src"))).containsExactly("10.1.2.3 gpc0=4");
        assertThat(PeerFixtures.dump(two.table("be_local"))).isEmpty();
    }
}
