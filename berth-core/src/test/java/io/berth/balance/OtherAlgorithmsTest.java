package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.BalanceSpec.Algorithm;
import io.berth.model.ProxyOptionsSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.berth.balance.TestServers.NONE;
import static io.berth.balance.TestServers.backend;
import static io.berth.balance.TestServers.sequence;
import static io.berth.balance.TestServers.uri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** leastconn, first, random, backups and allbackups. */
class OtherAlgorithmsTest {

    private static Balancer create(Algorithm algo, String arg, ServerGroup g, boolean allBackups) {
        ProxyOptionsSpec o = ProxyOptionsSpec.DEFAULTS;
        if (allBackups) {
            o = new ProxyOptionsSpec(o.forwardFor(), o.forwardForHeader(), o.forwardForExceptNetwork(),
                    o.forwardForIfNone(), o.httpLog(), o.tcpLog(), o.connectionMode(), o.redispatch(),
                    o.redispatchInterval(), true, o.persist(), o.dontLogNull(), o.logHealthChecks());
        }
        return Balancers.create(new BalanceSpec(algo, arg, false, 0, 0, false, BalanceSpec.HashType.MAP_BASED,
                BalanceSpec.HashFunction.SDBM, false), o, g);
    }

    @Test
    void leastConnRoundRobinsAmongIdleServers() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        assertThat(sequence(create(Algorithm.LEASTCONN, null, g, false), 7)).isEqualTo("abcabca");
    }

    @Test
    void leastConnPicksFewestConnectionsPerWeight() {
        ServerGroup g = backend().server("a", 1).server("b", 2).server("c", 1).group();
        Balancer lc = create(Algorithm.LEASTCONN, null, g, false);
        g.byName("a").currentConns.set(2); // key (2+1)*4096/16 = 768
        g.byName("b").currentConns.set(3); // key (3+1)*4096/32 = 512
        g.byName("c").currentConns.set(2); // key 768
        assertThat(lc.pick(uri("/"), NONE).name()).isEqualTo("b");
        g.byName("b").currentConns.set(5); // key 768: tie with a and c, b was picked last
        assertThat(lc.pick(uri("/"), NONE).name()).isEqualTo("a");
        g.byName("c").currentConns.set(0); // idle servers always first
        assertThat(lc.pick(uri("/"), NONE).name()).isEqualTo("c");
    }

    @Test
    void firstTakesLowestIdWithAFreeSlot() {
        ServerGroup g = backend().maxconn("a", 1, 2).maxconn("b", 9, 1).server("c", 5).group();
        Balancer first = create(Algorithm.FIRST, null, g, false);
        assertThat(first.pick(uri("/"), NONE).name()).isEqualTo("a");
        g.byName("a").currentConns.set(2);
        assertThat(first.pick(uri("/"), NONE).name()).isEqualTo("b");
        g.byName("b").currentConns.set(1);
        assertThat(first.pick(uri("/"), NONE).name()).isEqualTo("c"); // unlimited maxconn: never full
    }

    @Test
    void firstOrdersByConfiguredId() {
        ServerGroup g = backend().server("a", 30, 1).server("b", 10, 1).server("c", 20, 1).group();
        assertThat(create(Algorithm.FIRST, null, g, false).pick(uri("/"), NONE).name()).isEqualTo("b");
    }

    @Test
    void randomFollowsWeightsAndPrefersTheLessLoaded() {
        ServerGroup g = backend().server("a", 3).server("b", 1).group();
        Balancer one = create(Algorithm.RANDOM, "1", g, false);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            counts.merge(one.pick(uri("/"), NONE).name(), 1, Integer::sum);
        }
        // weight share 3:1 through 48 vs 16 ring points; the ring's arcs are not exactly even
        assertThat(counts.get("a")).isBetween(24_000, 36_000);
        g.byName("a").currentConns.set(100);
        Balancer two = create(Algorithm.RANDOM, "5", g, false);
        int b = 0;
        for (int i = 0; i < 1000; i++) {
            b += two.pick(uri("/"), NONE).name().equals("b") ? 1 : 0;
        }
        // a is loaded, so b wins whenever one of the 5 draws lands on it: 1 - 0.75^5 ≈ 76 % instead of 25 %
        // (b's ring arcs cover 20-35 % of the ring, so 67-88 %; the bounds leave room for chance, not for 25 %)
        assertThat(b).isBetween(600, 950);
    }

    @Test
    void randomRejectsZeroDraws() {
        ServerGroup g = backend().server("a", 1).group();
        assertThatThrownBy(() -> create(Algorithm.RANDOM, "0", g, false))
                .hasMessage("random : number of draws must be at least 1.");
    }

    @Test
    void onlyFirstBackupServesWithoutAllBackups() {
        ServerGroup g = backend().server("a", 1).backup("b1", 1).backup("b2", 1).group();
        for (Algorithm algo : new Algorithm[]{Algorithm.ROUNDROBIN, Algorithm.STATIC_RR, Algorithm.LEASTCONN,
                Algorithm.FIRST, Algorithm.RANDOM}) {
            Balancer b = create(algo, null, g, false);
            assertThat(sequence(b, 2)).as(algo.name()).isEqualTo("aa");
            g.byName("a").setHealthDown(true);
            assertThat(sequence(b, 4)).as(algo.name()).isEqualTo("b1b1b1b1");
            g.byName("b1").setAdminMaint(true);
            assertThat(sequence(b, 2)).as(algo.name()).isEqualTo("b2b2");
            g.byName("b1").setAdminMaint(false);
            g.byName("a").setHealthDown(false);
        }
    }

    @Test
    void allBackupsBalancesAmongBackups() {
        ServerGroup g = backend().server("a", 1).backup("b1", 1).backup("b2", 1).group();
        Balancer rr = create(Algorithm.ROUNDROBIN, null, g, true);
        g.byName("a").setAdminMaint(true);
        assertThat(sequence(rr, 4)).isEqualTo("b1b2b1b2");
        g.byName("a").setAdminMaint(false);
        assertThat(sequence(rr, 2)).isEqualTo("aa");
        Balancer srr = create(Algorithm.STATIC_RR, null, g, true);
        g.byName("a").setAdminMaint(true);
        assertThat(sequence(srr, 4)).isEqualTo("b1b2b1b2");
    }

    @Test
    void drainingServerTakesNoNewTraffic() {
        ServerGroup g = backend().server("a", 1).server("b", 1).group();
        Balancer lc = create(Algorithm.LEASTCONN, null, g, false);
        g.byName("a").setAdminDrain(true);
        assertThat(sequence(lc, 3)).isEqualTo("bbb");
        Server b = g.byName("b");
        assertThat(lc.pick(uri("/"), s -> s == b)).isSameAs(b); // only the excluded one left: HAProxy retries it
    }
}
