package io.berth.balance;

import io.berth.model.BalanceSpec;
import io.berth.model.BalanceSpec.Algorithm;
import io.berth.model.BalanceSpec.HashFunction;
import io.berth.model.BalanceSpec.HashType;
import io.berth.model.ProxyOptionsSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.berth.balance.TestServers.NONE;
import static io.berth.balance.TestServers.backend;
import static io.berth.balance.TestServers.header;
import static io.berth.balance.TestServers.source;
import static io.berth.balance.TestServers.uri;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hash-based balancing against golden picks computed with the reference model (haproxy-experiments/e8/model.py),
 * which agreed with HAProxy 2.6 on every probe; {@code BalanceDifferentialIT} checks the binary itself.
 */
class HashBalancerTest {

    private static Balancer create(BalanceSpec spec, ServerGroup g) {
        return Balancers.create(spec, ProxyOptionsSpec.DEFAULTS, g);
    }

    private static BalanceSpec spec(Algorithm a, String arg, HashType t, HashFunction f, boolean aval) {
        return new BalanceSpec(a, arg, false, 0, 0, false, t, f, aval);
    }

    private static String name(Balancer b, BalanceRequest r) {
        Server s = b.pick(r, NONE);
        return s == null ? null : s.name();
    }

    @Test
    void sourceConsistentWeightedMatchesModel() {
        ServerGroup g = backend().server("a", 10).server("b", 5).server("c", 1).server("d", 3).group();
        Balancer b = create(spec(Algorithm.SOURCE, null, HashType.CONSISTENT, HashFunction.SDBM, true), g);
        assertThat(List.of("127.0.0.1", "127.1.2.3", "127.200.100.50", "127.9.9.9", "127.45.67.89").stream()
                .map(ip -> name(b, source(ip))).toList()).containsExactly("a", "a", "a", "b", "a");
    }

    @Test
    void sourceMapBasedMatchesModel() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        Balancer b = create(spec(Algorithm.SOURCE, null, HashType.MAP_BASED, HashFunction.SDBM, false), g);
        assertThat(List.of("127.0.0.1", "127.1.2.3", "127.200.100.50", "127.9.9.9", "127.45.67.89").stream()
                .map(ip -> name(b, source(ip))).toList()).containsExactly("c", "b", "a", "b", "b");
    }

    @Test
    void consistentRingHonoursServerIds() {
        ServerGroup g = backend().server("a", 1, 1).server("b", 2, 1).server("c", 7, 1).group();
        HashBalancer b = (HashBalancer) create(spec(Algorithm.SOURCE, null, HashType.CONSISTENT, HashFunction.SDBM,
                true), g);
        int[] keys = {0x3ceb3ffd, 0x97b75092, 0x8b529b4a, 0x21636369, 0x5eb561a4, 0xea7b5bf5, 0x9a9a80fd, 0x795b929e};
        StringBuilder sb = new StringBuilder();
        for (int k : keys) {
            sb.append(b.serverForKey(k).name());
        }
        assertThat(sb.toString()).isEqualTo("abbacbbb");
    }

    @ParameterizedTest
    @CsvSource({"SDBM, bcbac, cbbcc", "DJB2, bccac, accbb", "WT6, ccbca, cbbcc", "CRC32, bcacb, cacbb"})
    void uriWithEachFunctionMatchesModel(HashFunction fn, String consistent, String mapBased) {
        List<String> uris = List.of("/img/1.html?x=1", "/api/v1/users", "/static/app.js", "/a/b/c/99.html?x=3", "/");
        ServerGroup g1 = backend().server("a", 1).server("b", 1).server("c", 1).group();
        Balancer cons = create(spec(Algorithm.URI, null, HashType.CONSISTENT, fn, false), g1);
        ServerGroup g2 = backend().server("a", 2).server("b", 4).server("c", 6).group();
        Balancer map = create(spec(Algorithm.URI, null, HashType.MAP_BASED, fn, false), g2);
        assertThat(String.join("", uris.stream().map(u -> name(cons, uri(u))).toList())).isEqualTo(consistent);
        assertThat(String.join("", uris.stream().map(u -> name(map, uri(u))).toList())).isEqualTo(mapBased);
    }

    @Test
    void headerHashesFirstValueWithAvalanche() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        Balancer b = create(spec(Algorithm.HDR, "X-User", HashType.CONSISTENT, HashFunction.SDBM, true), g);
        assertThat(List.of("user1", "user2", "user3", "alice", "bob").stream()
                .map(v -> name(b, header("x-user", v))).toList()).containsExactly("b", "b", "c", "a", "a");
        // only the first comma-separated value counts; LWS around it is trimmed; quoted commas do not split
        assertThat(name(b, header("X-User", " user3 , user1"))).isEqualTo("c");
        assertThat(name(b, header("X-User", "alice,bob"))).isEqualTo("a");
    }

    @Test
    void urlParamMatchesModel() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        Balancer b = create(spec(Algorithm.URL_PARAM, "uid", HashType.CONSISTENT, HashFunction.DJB2, true), g);
        assertThat(List.of("1", "22", "333", "4444", "55555").stream()
                .map(v -> name(b, uri("/p?a=1&uid=" + v + "&z=2"))).toList()).containsExactly("a", "c", "b", "b", "a");
        assertThat(name(b, uri("/p?uid=333"))).isEqualTo("b");
        assertThat(name(b, uri("/p?xuid=1&uid=333"))).isEqualTo("b"); // "xuid" is not "uid"
    }

    @Test
    void uriOptionsLimitTheHashedBytes() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).server("d", 1).group();
        HashKey depth1 = new HashKey(new BalanceSpec(Algorithm.URI, null, false, 0, 1, false, HashType.MAP_BASED,
                HashFunction.SDBM, false));
        HashKey len4 = new HashKey(new BalanceSpec(Algorithm.URI, null, false, 4, 0, false, HashType.MAP_BASED,
                HashFunction.SDBM, false));
        HashKey whole = new HashKey(new BalanceSpec(Algorithm.URI, null, true, 0, 0, false, HashType.MAP_BASED,
                HashFunction.SDBM, false));
        HashKey plain = new HashKey(spec(Algorithm.URI, null, HashType.MAP_BASED, HashFunction.SDBM, false));
        // depth 1 hashes "/img" (stops before the second slash); len 4 hashes "/img"
        assertThat(depth1.compute(uri("/img/1.html"), 4)).isEqualTo(plain.compute(uri("/img"), 4));
        assertThat(len4.compute(uri("/img/1.html"), 4)).isEqualTo(plain.compute(uri("/img"), 4));
        assertThat(plain.compute(uri("/a?x=1"), 4)).isEqualTo(plain.compute(uri("/a"), 4));
        assertThat(whole.compute(uri("/a?x=1"), 4)).isNotEqualTo(plain.compute(uri("/a"), 4));
        assertThat(g.all()).hasSize(4);
    }

    @Test
    void useDomainOnlyHashesTheLabelBeforeTheTld() {
        BalanceSpec s = new BalanceSpec(Algorithm.HDR, "Host", false, 0, 0, true, HashType.MAP_BASED,
                HashFunction.SDBM, false);
        HashKey k = new HashKey(s);
        HashKey plain = new HashKey(spec(Algorithm.HDR, "Host", HashType.MAP_BASED, HashFunction.SDBM, false));
        long example = plain.compute(header("Host", "example"), 3);
        assertThat(k.compute(header("Host", "www.example.com"), 3)).isEqualTo(example);
        assertThat(k.compute(header("Host", "example.com"), 3)).isEqualTo(example);
        assertThat(k.compute(header("Host", "a.b.example.org"), 3)).isEqualTo(example);
        assertThat(k.compute(header("Host", "localhost"), 3)).isEqualTo(plain.compute(header("Host", "localhost"), 3));
    }

    @Test
    void missingInputFallsBackToRoundRobin() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        Balancer map = create(spec(Algorithm.HDR, "X-Key", HashType.MAP_BASED, HashFunction.SDBM, false), g);
        assertThat(TestServers.sequence(map, 6)).isEqualTo("abcabc");
        Balancer param = create(spec(Algorithm.URL_PARAM, "k", HashType.MAP_BASED, HashFunction.SDBM, false), g);
        assertThat(String.join("", List.of("/x", "/x?j=1", "/x?k", "/x").stream()
                .map(u -> name(param, uri(u))).toList())).isEqualTo("abca");
        Balancer src = create(spec(Algorithm.SOURCE, null, HashType.MAP_BASED, HashFunction.SDBM, false), g);
        assertThat(TestServers.sequence(src, 3)).isEqualTo("abc"); // no IP (e.g. a unix socket client)
        // consistent: round robin over ring points, each server weighted by its 16 points
        Balancer cons = create(spec(Algorithm.HDR, "X-Key", HashType.CONSISTENT, HashFunction.SDBM, true), g);
        String seq = TestServers.sequence(cons, 48);
        assertThat(seq.chars().filter(c -> c == 'a').count()).isEqualTo(16);
        assertThat(seq.chars().filter(c -> c == 'b').count()).isEqualTo(16);
    }

    @Test
    void oneUsableServerHashesZero() {
        ServerGroup g = backend().server("a", 1).server("b", 1).group();
        HashKey k = new HashKey(spec(Algorithm.HDR, "X-Key", HashType.CONSISTENT, HashFunction.SDBM, true));
        assertThat(k.compute(header("X-Other", "v"), 1)).isZero(); // not even the header is needed
        Balancer b = create(spec(Algorithm.HDR, "X-Key", HashType.CONSISTENT, HashFunction.SDBM, true), g);
        g.byName("a").setAdminMaint(true);
        assertThat(name(b, header("X-Key", "anything"))).isEqualTo("b");
    }

    @Test
    void disabledServerMovesOnlyItsKeysOnTheRing() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        HashBalancer b = (HashBalancer) create(spec(Algorithm.SOURCE, null, HashType.CONSISTENT, HashFunction.SDBM,
                true), g);
        String[] before = new String[2000];
        for (int i = 0; i < before.length; i++) {
            before[i] = b.serverForKey(i * 2_147_483).name();
        }
        g.byName("b").setAdminMaint(true);
        for (int i = 0; i < before.length; i++) {
            String now = b.serverForKey(i * 2_147_483).name();
            if (!before[i].equals("b")) {
                assertThat(now).isEqualTo(before[i]);
            } else {
                assertThat(now).isIn("a", "c");
            }
        }
    }

    @Test
    void consistentLookupWalksPastExcludedServers() {
        ServerGroup g = backend().server("a", 1).server("b", 1).server("c", 1).group();
        Balancer b = create(spec(Algorithm.HDR, "X-User", HashType.CONSISTENT, HashFunction.SDBM, true), g);
        Server first = b.pick(header("X-User", "alice"), NONE);
        Server other = b.pick(header("X-User", "alice"), s -> s == first);
        assertThat(other).isNotNull().isNotSameAs(first);
        // map-based ignores exclude, as HAProxy's map_get_server_hash does
        Balancer map = create(spec(Algorithm.HDR, "X-User", HashType.MAP_BASED, HashFunction.SDBM, false), g);
        Server m = map.pick(header("X-User", "alice"), NONE);
        assertThat(map.pick(header("X-User", "alice"), s -> s == m)).isSameAs(m);
        assertThat(Map.of()).isEmpty();
    }
}
