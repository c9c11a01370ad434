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
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reload by process replacement through the local peer (reference §6.8, experiment e7): the new section waits for
 * the old one's address, the old one teaches it everything and exits; an old one still in its startup resync
 * hands nothing over.
 */
class ReloadHandOverIT {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<PeerSection> sections = new ArrayList<>();

    @AfterEach
    void stop() {
        sections.forEach(PeerSection::stop);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static StickTable table() {
        return PeerFixtures.table("t_solo", KeyType.STRING, 17, 3600000, "gpc0", "server_id");
    }

    private static int[] key(String s) {
        return StickKeys.encode(Sample.ofString(s), KeyType.STRING, 17);
    }

    @Test
    void newProcessPullsEveryEntryFromTheOldOneBeforeServing() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("hapC", PeerFixtures.freePort());
        PeersSpec spec = PeerFixtures.section(ports);
        StickTable oldTable = table();
        PeerSection old = PeerSection.start(spec, "hapC", List.of(oldTable), group, NioServerSocketChannel.class,
                NioSocketChannel.class, m -> { });
        sections.add(old);
        assertThat(old.upToDate()).isTrue();
        for (int i = 0; i < 300; i++) {
            PeerFixtures.put(oldTable, key("user" + i), "gpc0", i, "server_id", i % 3 + 1);
        }
        StickTable newTable = table();
        PeerSection next = PeerSection.startAfter(spec, "hapC", List.of(newTable), group,
                NioServerSocketChannel.class, NioSocketChannel.class, m -> { });
        sections.add(next);
        assertThat(next.upToDate()).isFalse();
        assertThat(old.handOver().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(next.upToDate()).isTrue();
        assertThat(PeerFixtures.dump(newTable)).hasSize(300).isEqualTo(PeerFixtures.dump(oldTable))
                .contains("user7 server_id=2 gpc0=7", "user299 server_id=3 gpc0=299");
    }

    @Test
    void anOldProcessStillInItsStartupResyncHandsNothingOver() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("me", PeerFixtures.freePort());
        ports.put("silent", PeerFixtures.freePort());
        PeersSpec spec = PeerFixtures.section(ports);
        StickTable oldTable = table();
        PeerSection old = PeerSection.start(spec, "me", List.of(oldTable), group, NioServerSocketChannel.class,
                NioSocketChannel.class, m -> { });
        sections.add(old);
        PeerFixtures.put(oldTable, key("kept?"), "gpc0", 1);
        StickTable newTable = table();
        PeerSection next = PeerSection.startAfter(spec, "me", List.of(newTable), group,
                NioServerSocketChannel.class, NioSocketChannel.class, m -> { });
        sections.add(next);
        assertThat(old.handOver().get(10, TimeUnit.SECONDS)).isFalse();
        // the new one waits its 5 s for the local peer, finds no remote to ask, and declares itself up to date
        await().atMost(Duration.ofSeconds(8)).until(next::upToDate);
        assertThat(PeerFixtures.dump(newTable)).isEmpty();
    }
}
