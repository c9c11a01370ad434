package io.berth.persist.stick;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.config.Diagnostic;
import io.berth.model.Config;
import io.berth.runtime.HttpRule;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBuildException;
import io.berth.runtime.RuntimeBuilder;
import io.berth.sample.Condition;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleContext;
import io.berth.sample.TrackedCounters;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The counters engine without sockets: track-sc updates, sc_/src_ fetches, sc-inc-gpc0, release, runtime build
 * errors and reload carry-over. Expected values follow HAProxy 2.6's stream.h / stick_table.h updates.
 */
class StickCountersTest {
    private static final String TABLES = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:18999
                http-request track-sc0 src table rl
                http-request sc-inc-gpc0(0) if { path /bad }
                http-request deny deny_status 429 if { sc_http_req_rate(0) gt 3 }
                default_backend be
            backend rl
                stick-table type ip size 1k expire 30s store conn_cnt,conn_cur,conn_rate(10s),http_req_cnt,http_req_rate(10s),http_err_cnt,http_err_rate(10s),gpc0,gpc0_rate(10s),bytes_in_cnt,bytes_out_cnt
            backend be
                server s1 127.0.0.1:8080
            """;

    private static Config config(String text) {
        ConfigLoader.Result r = ConfigLoader.parse(Subsystems.keywords(), "t.cfg", text);
        assertThat(r.texts()).isEmpty();
        return r.config();
    }

    private static Runtime runtime(String text, Runtime previous) throws RuntimeBuildException {
        return RuntimeBuilder.build(config(text), previous);
    }

    /** Every stored counter of {@code key}, by keyword (rates as their value now). */
    private static Map<String, Long> entry(StickTable t, String key) {
        Map<String, Long> out = new TreeMap<>();
        t.forEach(StickClock.now(), (k, e, exp) -> {
            if (StickKeys.format(k, t.spec().type(), t.spec().keySize()).equals(key)) {
                for (StickDataType d : t.layout().stored()) {
                    out.put(d.keyword(), e.get(d));
                }
            }
        });
        return out;
    }

    /** Runs the frontend's http-request rules as the data plane does; returns the deny status or 0. */
    private static int request(Runtime rt, StickCounters c, String src, String path) {
        Ctx ctx = new Ctx(src, path, c);
        for (HttpRule r : rt.frontend("fe").requestRules()) {
            if (!r.condition().test(ctx)) {
                continue;
            }
            if (r.action() == HttpRule.Action.STICK) {
                r.stick().apply(ctx);
            } else if (r.action() == HttpRule.Action.DENY) {
                c.httpDenied(StickClock.now());
                return r.status();
            }
        }
        return 0;
    }

    @Test
    void trackScCountsRequestsDeniesAboveTheRateAndReleasesConnCur() throws Exception {
        Runtime rt = runtime(TABLES, null);
        StickTable rl = rt.stickTables().table("rl");
        int[] statuses = new int[6];
        for (int i = 0; i < 6; i++) {
            StickCounters c = new StickCounters(rt.stickTables(), null);
            statuses[i] = request(rt, c, "127.0.0.2", i == 1 ? "/bad" : "/");
            if (i == 0) {
                // while the stream lives, conn_cur counts it
                assertThat(entry(rl, "127.0.0.2")).containsEntry("conn_cur", 1L);
                c.httpStatus(404, StickClock.now());
            }
            c.bytes(78, 120, StickClock.now());
            c.release(StickClock.now());
        }
        assertThat(statuses).containsExactly(0, 0, 0, 429, 429, 429);
        Map<String, Long> want = new TreeMap<>(Map.ofEntries(Map.entry("conn_cnt", 6L), Map.entry("conn_cur", 0L),
                Map.entry("conn_rate", 6L), Map.entry("http_req_cnt", 6L), Map.entry("http_req_rate", 6L),
                Map.entry("http_err_cnt", 4L), Map.entry("http_err_rate", 4L), Map.entry("gpc0", 1L),
                Map.entry("gpc0_rate", 1L), Map.entry("bytes_in_cnt", 6 * 78L), Map.entry("bytes_out_cnt", 6 * 120L)));
        assertThat(entry(rl, "127.0.0.2")).isEqualTo(want);
        assertThat(rl.used()).isEqualTo(1);
    }

    @Test
    void fetchesReadTrackedAndSourceEntries() throws Exception {
        Runtime rt = runtime(TABLES, null);
        StickCounters c = new StickCounters(rt.stickTables(), null);
        Ctx ctx = new Ctx("127.0.0.9", "/", c);
        // nothing tracked: sc_* fail, src_* read 0 for an absent key
        assertThat(c.tracked(0, null, "http_req_rate", TrackedCounters.Op.GET)).isNull();
        assertThat(c.source(ctx, "rl", "http_req_cnt", TrackedCounters.Op.GET)).isZero();
        request(rt, c, "127.0.0.9", "/");
        assertThat(c.tracked(0, null, "http_req_cnt", TrackedCounters.Op.GET)).isEqualTo(1L);
        assertThat(c.tracked(1, null, "http_req_cnt", TrackedCounters.Op.GET)).isNull();
        // a type the table does not store makes the fetch fail
        assertThat(c.tracked(0, null, "sess_cnt", TrackedCounters.Op.GET)).isNull();
        assertThat(c.tracked(0, null, "gpc0", TrackedCounters.Op.INC)).isEqualTo(1L);
        assertThat(c.source(ctx, "rl", "gpc0", TrackedCounters.Op.INC)).isEqualTo(2L);
        assertThat(c.source(ctx, "rl", "gpc0", TrackedCounters.Op.CLR)).isEqualTo(2L);
        assertThat(c.source(ctx, "rl", "gpc0", TrackedCounters.Op.GET)).isZero();
        assertThat(c.source(ctx, "rl", "conn_cur", TrackedCounters.Op.GET)).isEqualTo(1L);
        // through the sample engine, as a condition would read them
        SampleCompiler compiler = new SampleCompiler(List.of());
        assertThat(compiler.typedExpression("sc_http_req_cnt(0)").sample(ctx).asLong()).isEqualTo(1L);
        assertThat(compiler.typedExpression("sc0_conn_cur").sample(ctx).asLong()).isEqualTo(1L);
        assertThat(compiler.typedExpression("src_conn_cnt(rl)").sample(ctx).asLong()).isEqualTo(1L);
        assertThat(compiler.typedExpression("sc1_conn_cur").sample(ctx)).isNull();
        c.release(StickClock.now());
        assertThat(compiler.typedExpression("src_conn_cur(rl)").sample(ctx).asLong()).isZero();
    }

    @Test
    void secondTrackOfTheSameSlotIsIgnored() throws Exception {
        Runtime rt = runtime(TABLES, null);
        StickCounters c = new StickCounters(rt.stickTables(), null);
        StickTable rl = rt.stickTables().table("rl");
        assertThat(c.track(0, rl, new int[] {0x7f000002}, true, StickClock.now())).isTrue();
        assertThat(c.track(0, rl, new int[] {0x7f000003}, true, StickClock.now())).isFalse();
        assertThat(rl.used()).isEqualTo(1);
    }

    @Test
    void unknownTrackTableIsReportedAtItsLine() {
        String text = """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:18999
                    http-request track-sc1 src table nope
                    default_backend be
                backend be
                    server s1 127.0.0.1:8080
                """;
        assertThatThrownBy(() -> runtime(text, null)).isInstanceOfSatisfying(RuntimeBuildException.class, e -> {
            Diagnostic d = e.diagnostics().get(0);
            assertThat(d.message()).isEqualTo("Proxy 'fe': unable to find table 'nope' referenced by track-sc1.");
            assertThat(d.location().line()).isEqualTo(8);
        });
    }

    @Test
    void reloadKeepsEntriesOfTheSameTable() throws Exception {
        Runtime first = runtime(TABLES, null);
        StickCounters c = new StickCounters(first.stickTables(), null);
        request(first, c, "127.0.0.5", "/");
        c.release(StickClock.now());
        Runtime second = runtime(TABLES + "\n", first);
        assertThat(second.stickTables().table("rl")).isSameAs(first.stickTables().table("rl"));
        assertThat(entry(second.stickTables().table("rl"), "127.0.0.5")).containsEntry("http_req_cnt", 1L);
        // a different size is another table: HAProxy would refill it from the old one by the local peer, Berth
        // starts empty
        Runtime third = runtime(TABLES.replace("size 1k", "size 2k"), second);
        assertThat(third.stickTables().table("rl").used()).isZero();
    }

    @Test
    void nonStickServerIsNeverStored() throws Exception {
        Runtime rt = runtime("""
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                backend be
                    stick-table type ip size 1k expire 30s
                    stick on src
                    server s1 127.0.0.1:8080 non-stick
                    server s2 127.0.0.1:8081
                """, null);
        assertThat(rt.config().backend("be").orElseThrow().servers().get(0).nonStick()).isTrue();
        StickRules rules = rt.stickTables().rules("be");
        var group = rt.backend("be").servers();
        Ctx ctx = new Ctx("127.0.0.7", "/", null);
        StickRules.Pending p = new StickRules.Pending();
        assertThat(rules.onRequest(ctx, group, null, false, p, StickClock.now())).isNull();
        rules.onResponse(ctx, p, group.byName("s1"), StickClock.now());
        assertThat(rt.stickTables().table("be").used()).isZero();
        p = new StickRules.Pending();
        rules.onRequest(ctx, group, null, false, p, StickClock.now());
        rules.onResponse(ctx, p, group.byName("s2"), StickClock.now());
        assertThat(rt.stickTables().table("be").used()).isEqualTo(1);
    }

    /** A request from {@code src} for {@code path} with the stream's counters. */
    private static final class Ctx implements SampleContext {
        final InetSocketAddress src;
        final String path;
        final StickCounters counters;

        Ctx(String src, String path, StickCounters counters) {
            this.src = new InetSocketAddress(src, 40000);
            this.path = path;
            this.counters = counters;
        }

        @Override public InetSocketAddress source() { return src; }
        @Override public InetSocketAddress destination() { return new InetSocketAddress("127.0.0.1", 80); }
        @Override public String method() { return "GET"; }
        @Override public String uri() { return path; }
        @Override public String version() { return "HTTP/1.1"; }
        @Override public List<String> requestHeaders(String name) { return List.of(); }
        @Override public List<String> responseHeaders(String name) { return List.of(); }
        @Override public int status() { return 0; }
        @Override public String serverName() { return null; }
        @Override public int serverId() { return 0; }
        @Override public String backendName() { return null; }
        @Override public String frontendName() { return "fe"; }
        @Override public TrackedCounters trackedCounters() { return counters; }
    }
}
