package io.berth.persist.stick;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.Config;
import io.berth.sample.SampleContext;
import io.berth.server.Server;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** process_sticking_rules / process_store_rules semantics (reference §2.4), without sockets. */
class StickRulesTest {
    private static Config config(String body) {
        ConfigLoader.Result r = ConfigLoader.parse(Subsystems.keywords(), "t.cfg", """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                """ + body);
        assertThat(r.texts()).isEmpty();
        return r.config();
    }

    private static ServerGroup group(Config c, String backend) {
        var be = c.backend(backend).orElseThrow();
        List<InetSocketAddress> addrs = new ArrayList<>();
        be.servers().forEach(s -> addrs.add(new InetSocketAddress(s.host(), s.port())));
        return new ServerGroup(backend, be.servers(), addrs);
    }

    /** One request from {@code src} with header x-tenant-id, served by {@code balanced} unless stuck. */
    private static Server request(StickRules rules, ServerGroup g, String src, String tenant, String balanced,
                                  int now) {
        SampleContext ctx = new Ctx(new InetSocketAddress(src, 40000), tenant);
        StickRules.Pending p = new StickRules.Pending();
        Server stuck = rules.onRequest(ctx, g, null, false, p, now);
        Server used = stuck != null ? stuck : g.byName(balanced);
        rules.onResponse(ctx, p, used, now);
        return used;
    }

    @Test
    void stickOnSrcAndServerDownIsLoadBalancedThenUpdated() {
        Config c = config("""
                backend be
                    stick-table type ip size 1k expire 30m
                    stick on src
                    server s1 127.0.0.1:19101
                    server s2 127.0.0.1:19102
                    server s3 127.0.0.1:19103 id 42
                """);
        StickTables tables = StickTables.build(c, null);
        StickRules rules = tables.rules("be");
        ServerGroup g = group(c, "be");
        assertThat(request(rules, g, "127.0.0.2", null, "s2", 1).name()).isEqualTo("s2");
        assertThat(request(rules, g, "127.0.0.3", null, "s3", 2).name()).isEqualTo("s3");
        assertThat(request(rules, g, "127.0.0.2", null, "s1", 3).name()).isEqualTo("s2");
        int[] k3 = {0x7f000003};
        assertThat((int) tables.table("be").lookupServer(k3, 4)).isEqualTo(42);
        // s2 disabled: the client is load balanced (s1) and the entry becomes server_id=1 server_key=s1
        g.byName("s2").setAdminMaint(true);
        assertThat(request(rules, g, "127.0.0.2", null, "s1", 5).name()).isEqualTo("s1");
        g.byName("s2").setAdminMaint(false);
        assertThat(request(rules, g, "127.0.0.2", null, "s2", 6).name()).isEqualTo("s1");
        long hit = tables.table("be").lookupServer(new int[] {0x7f000002}, 7);
        assertThat((int) hit).isEqualTo(1);
        assertThat(ServerKeys.name((int) (hit >>> 32))).isEqualTo("s1");
    }

    @Test
    void headerKeyInATableOfAnotherBackendWithSrvkeyAddr() {
        Config c = config("""
                backend be
                    stick on hdr(x-tenant-id) table t
                    server s1 127.0.0.1:19101
                    server s2 127.0.0.1:19102
                backend t
                    stick-table type string len 4 size 100 expire 1m srvkey addr
                """);
        StickTables tables = StickTables.build(c, null);
        StickRules rules = tables.rules("be");
        ServerGroup g = group(c, "be");
        assertThat(request(rules, g, "127.0.0.1", "tenant-a", "s2", 1).name()).isEqualTo("s2");
        // truncated to 4 characters: "tenant-b" shares "tena" with "tenant-a"
        assertThat(request(rules, g, "127.0.0.9", "tenant-b", "s1", 2).name()).isEqualTo("s2");
        // no header: no key, nothing stored, balanced
        assertThat(request(rules, g, "127.0.0.9", null, "s1", 3).name()).isEqualTo("s1");
        assertThat(tables.table("t").used()).isEqualTo(1);
        long hit = tables.table("t").lookupServer(StickKeys.encode(io.berth.sample.Sample.ofString("tena"),
                io.berth.model.StickTableSpec.KeyType.STRING, 5), 4);
        assertThat(ServerKeys.name((int) (hit >>> 32))).isEqualTo("127.0.0.1:19102");
    }

    @Test
    void matchOnlyRuleDoesNotStoreAndStoreResponseLearns() {
        Config c = config("""
                listen cookie_learn
                    bind 127.0.0.1:18032
                    stick-table type string len 32 size 1k expire 10m
                    stick store-response res.cook(JSESSIONID)
                    stick match req.cook(JSESSIONID)
                    server s1 127.0.0.1:19101
                    server s2 127.0.0.1:19102
                """);
        StickTables tables = StickTables.build(c, null);
        StickRules rules = tables.rules("cookie_learn");
        ServerGroup g = group(c, "cookie_learn");
        StickRules.Pending p = new StickRules.Pending();
        Ctx first = new Ctx(new InetSocketAddress("127.0.0.1", 1), null);
        first.responseCookie = "JSESSIONID=abcdef0123";
        assertThat(rules.onRequest(first, g, null, false, p, 1)).isNull();
        assertThat(p.count()).isZero();
        rules.onResponse(first, p, g.byName("s2"), 1);
        Ctx second = new Ctx(new InetSocketAddress("127.0.0.1", 2), null);
        second.requestCookie = "JSESSIONID=abcdef0123";
        assertThat(rules.onRequest(second, g, null, false, new StickRules.Pending(), 2).name()).isEqualTo("s2");
    }

    /** A minimal request/response context. */
    private static final class Ctx implements SampleContext {
        final InetSocketAddress src;
        final String tenant;
        String requestCookie;
        String responseCookie;

        Ctx(InetSocketAddress src, String tenant) {
            this.src = src;
            this.tenant = tenant;
        }

        @Override public InetSocketAddress source() { return src; }
        @Override public InetSocketAddress destination() { return new InetSocketAddress("127.0.0.1", 80); }
        @Override public String method() { return "GET"; }
        @Override public String uri() { return "/"; }
        @Override public String version() { return "HTTP/1.1"; }

        @Override
        public List<String> requestHeaders(String name) {
            if (name.equalsIgnoreCase("x-tenant-id") && tenant != null) {
                return List.of(tenant);
            }
            if (name.equalsIgnoreCase("cookie") && requestCookie != null) {
                return List.of(requestCookie);
            }
            return List.of();
        }

        @Override
        public List<String> responseHeaders(String name) {
            return name.equalsIgnoreCase("set-cookie") && responseCookie != null ? List.of(responseCookie) : List.of();
        }

        @Override public int status() { return 0; }
        @Override public String serverName() { return null; }
        @Override public int serverId() { return 0; }
        @Override public String backendName() { return "be"; }
        @Override public String frontendName() { return "fe"; }
        @Override public InetSocketAddress serverAddress() { return null; }
    }
}
