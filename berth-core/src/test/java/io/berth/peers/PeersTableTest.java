package io.berth.peers;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.Config;
import io.berth.model.PeersSpec;
import io.berth.model.StickTableSpec;
import io.berth.persist.stick.StickDataType;
import io.berth.persist.stick.StickTable;
import io.berth.persist.stick.StickTables;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code table NAME ...} lines in a {@code peers} section (reference §6.1): parsed as HAProxy 2.6 parses them
 * (messages captured with {@code haproxy -c}), built as a table named {@code SECTION/NAME} that stick rules and
 * {@code show table} reach by that name, and announced as {@code /NAME} with HAProxy's definition bytes.
 */
class PeersTableTest {
    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            peers local
                peer me 127.0.0.1:23999
            """;

    private static ConfigLoader.Result parse(String body) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", HEAD + body);
    }

    private static Config config(String body) {
        ConfigLoader.Result r = parse(body);
        assertThat(r.texts()).isEmpty();
        return r.config();
    }

    @Test
    void tableLineIsATableNamedSectionSlashNameSyncedByItsSection() {
        Config c = config("""
                    table tp type string len 16 size 1k expire 5m store gpc0
                """);
        PeersSpec p = c.peers().get(0);
        assertThat(p.tables()).hasSize(1);
        StickTableSpec t = p.tables().get(0);
        assertThat(t.name()).isEqualTo("local/tp");
        assertThat(t.wireName()).isEqualTo("/tp");
        assertThat(t.peers()).isEqualTo("local");
        assertThat(t.type()).isEqualTo(StickTableSpec.KeyType.STRING);
        assertThat(t.keySize()).isEqualTo(17);
        assertThat(t.size()).isEqualTo(1024);
        assertThat(t.expireMs()).isEqualTo(300_000);
        assertThat(t.store()).containsExactly(new StickTableSpec.StoreSpec("gpc0", -1));
        assertThat(t.location().line()).isEqualTo(8);
    }

    @Test
    void definitionIsTheOneHaproxySendsForItsPeersTable() {
        // captured from HAProxy 2.6 for "table tp type string len 16 size 1k expire 5m store gpc0" (reference §6.5)
        Config c = config("""
                    table tp type string len 16 size 1k expire 5m store gpc0
                """);
        StickTable t = StickTables.build(c, null).table("local/tp");
        ByteBuf b = Unpooled.buffer();
        new SyncedTable(t, 1).definition().encode(b);
        assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0a820c" + "01" + "03" + "2f7470" + "06" + "11" + "04"
                + "f0af9100");
    }

    @Test
    void stickRulesAndTheTableListReachItBySectionSlashName() {
        Config c = config("""
                    table tp type string len 16 size 1k expire 5m store gpc0
                backend be
                    stick on hdr(x-user) table local/tp
                    server s1 127.0.0.1:19101
                backend own
                    stick-table type ip size 10 peers local
                    server s1 127.0.0.1:19101
                """);
        StickTables tables = StickTables.build(c, null);
        StickTable tp = tables.table("local/tp");
        assertThat(tp).isNotNull();
        assertThat(tp.name()).isEqualTo("local/tp");
        // a stick rule uses it: HAProxy adds server_id and server_key
        assertThat(tp.layout().stored()).contains(StickDataType.SERVER_ID, StickDataType.SERVER_KEY,
                StickDataType.GPC0);
        assertThat(tables.rules("be")).isNotNull();
        assertThat(tables.tables()).extracting(StickTable::name).containsExactlyInAnyOrder("own", "local/tp");
        assertThat(tables.table("own").spec().wireName()).isEqualTo("own");
        // a reload with the same definition keeps the very same table (entries included)
        assertThat(StickTables.build(c, tables).table("local/tp")).isSameAs(tp);
    }

    @Test
    void haproxyMessages() {
        assertThat(parse("    table tp type string len 16 size 1k peers local\n").texts())
                .containsExactly("parsing [t.cfg:8] : table: unknown argument 'peers'.");
        assertThat(parse("    table tp type string len 16\n").texts())
                .containsExactly("parsing [t.cfg:8] : table: missing size.");
        assertThat(parse("    table\n").texts())
                .containsExactly("parsing [t.cfg:8] : table: missing size.");
        assertThat(parse("    table tp size 1k\n").texts())
                .containsExactly("parsing [t.cfg:8] : table: missing type.");
        assertThat(parse("    table tp type string size 1k store foo\n").texts())
                .containsExactly("parsing [t.cfg:8] : table: unknown store option 'foo'.");
        assertThat(parse("""
                    table tp type ip size 1k
                backend be
                    stick on src table local/nosuch
                    server s1 127.0.0.1:80
                """).texts()).containsExactly("Proxy 'be': unable to find stick-table 'local/nosuch'.");
    }

    @Test
    void oldConstructorMeansNoTables() {
        assertThat(new PeersSpec("p", io.berth.model.Location.NONE, List.of(), false).tables()).isEmpty();
    }
}
