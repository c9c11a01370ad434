package io.berth.persist.stick;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.BackendSpec;
import io.berth.model.StickRuleSpec;
import io.berth.model.StickTableSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stick keywords' model and HAProxy 2.6's messages (captured with haproxy -c, reference §10 and e9). */
class StickKeywordsTest {
    private static final String DEFAULTS = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            """;

    private static ConfigLoader.Result parse(String body) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", DEFAULTS + body);
    }

    @Test
    void parsesTableAndRules() {
        ConfigLoader.Result r = parse("""
                backend be
                    stick-table type string len 64 size 200k expire 30m nopurge srvkey addr store gpc0,http_req_rate(10s),server_name
                    stick on hdr(x-tenant-id) table be if { src 127.0.0.0/8 }
                    stick store-response res.cook(JSESSIONID)
                    stick store req.cook(a)
                    server s1 127.0.0.1:80
                """);
        assertThat(r.texts()).isEmpty();
        BackendSpec be = r.config().backend("be").orElseThrow();
        StickTableSpec t = be.stickTable();
        assertThat(t.type()).isEqualTo(StickTableSpec.KeyType.STRING);
        assertThat(t.keySize()).isEqualTo(65);
        assertThat(t.size()).isEqualTo(204800);
        assertThat(t.expireMs()).isEqualTo(1_800_000);
        assertThat(t.nopurge()).isTrue();
        assertThat(t.serverKey()).isEqualTo(StickTableSpec.ServerKeyType.ADDR);
        assertThat(t.store()).containsExactly(new StickTableSpec.StoreSpec("gpc0", -1),
                new StickTableSpec.StoreSpec("http_req_rate", 10_000), new StickTableSpec.StoreSpec("server_key", -1));
        assertThat(be.stickRules()).extracting(StickRuleSpec::kind).containsExactly(StickRuleSpec.Kind.ON,
                StickRuleSpec.Kind.STORE_RESPONSE, StickRuleSpec.Kind.STORE_REQUEST);
        assertThat(be.stickRules().get(0).table()).isEqualTo("be");
        assertThat(be.stickRules().get(0).condition().words()).containsExactly("{", "src", "127.0.0.0/8", "}");
    }

    @Test
    void defaultKeySizes() {
        ConfigLoader.Result r = parse("""
                backend a
                    stick-table type string size 1k
                backend b
                    stick-table type binary len 8 size 1k
                backend c
                    stick-table type ipv6 size 1k
                """);
        assertThat(r.config().backend("a").orElseThrow().stickTable().keySize()).isEqualTo(32);
        assertThat(r.config().backend("b").orElseThrow().stickTable().keySize()).isEqualTo(8);
        assertThat(r.config().backend("c").orElseThrow().stickTable().keySize()).isEqualTo(16);
    }

    @Test
    void haproxyMessages() {
        assertThat(parse("backend be\n    stick-table type foo size 1k\n").texts())
                .containsExactly("parsing [t.cfg:7] : stick-table: unknown type 'foo'.");
        assertThat(parse("backend be\n    stick-table type ip expire 1m\n").texts())
                .containsExactly("parsing [t.cfg:7] : stick-table: missing size.");
        assertThat(parse("backend be\n    stick-table type ip size 1k store http_req_rate,foo\n").texts())
                .containsExactly("parsing [t.cfg:7] : stick-table: missing argument to store option 'http_req_rate'.");
        assertThat(parse("backend be\n    stick-table type ip size 1k store foo\n").texts())
                .containsExactly("parsing [t.cfg:7] : stick-table: unknown store option 'foo'.");
        assertThat(parse("backend be\n    stick on src table nosuch\n    server s1 127.0.0.1:80\n").texts())
                .containsExactly("Proxy 'be': unable to find stick-table 'nosuch'.");
        assertThat(parse("backend be\n    stick on src\n    server s1 127.0.0.1:80\n").texts())
                .containsExactly("Proxy 'be': unable to find stick-table 'be'.");
        assertThat(parse("backend be\n    stick-table type integer size 1k\n    stick match res.cook(a)\n").texts())
                .containsExactly("parsing [t.cfg:8] : 'stick': fetch method 'res.cook' extracts information from"
                        + " 'HTTP response headers', none of which is available during request.");
        assertThat(parse("backend be\n    stick-table type ip size 1k\n    stick foo src\n").texts())
                .containsExactly("parsing [t.cfg:8] : 'stick' expects 'on', 'match', or 'store'.");
        assertThat(parse("backend be\n    stick-table type ip size 1k\n    stick on\n").texts())
                .containsExactly("parsing [t.cfg:8] : 'stick' expects a fetch method.");
    }

    @Test
    void tableOfAnotherBackend() {
        ConfigLoader.Result r = parse("""
                listen hdr_ext
                    bind 127.0.0.1:18033
                    stick on req.hdr(x-user) table t_users
                    server s1 127.0.0.1:19101
                backend t_users
                    stick-table type string size 100 expire 1m srvkey addr
                """);
        assertThat(r.texts()).isEmpty();
        StickTables tables = StickTables.build(r.config(), null);
        assertThat(tables.rules("hdr_ext")).isNotNull();
        assertThat(tables.table("t_users").layout().stored()).containsExactly(StickDataType.SERVER_ID,
                StickDataType.SERVER_KEY);
        assertThat(List.copyOf(tables.tables())).hasSize(1);
    }
}
