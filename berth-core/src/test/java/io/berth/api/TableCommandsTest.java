package io.berth.api;

import io.berth.persist.stick.ServerKeys;
import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickTable;
import io.berth.runtime.Runtime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** show/set/clear table over a real stick table, against HAProxy 2.6.12's answers (reference §2.5). */
class TableCommandsTest {
    static final String CONFIG = """
            global
                stats socket /tmp/berth-table-test.sock level admin
            defaults
                mode http
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:18041
                default_backend be
            backend be
                stick-table type ip size 1k store conn_cnt,http_req_rate(10s)
                stick on src
                server s1 127.0.0.1:19101
                server s2 127.0.0.1:19102
            backend t_str
                stick-table type string len 8 size 4 expire 1m
            """;

    Runtime runtime;
    ApiContext ctx;
    CommandRegistry registry = ApiCommands.registry();

    @BeforeEach
    void setUp() throws Exception {
        runtime = ApiCommandsTest.build(CONFIG);
        ctx = new ApiContext(runtime, Map.of());
        StickTable be = TableCommands.tables(runtime).get(0);
        be.storeServer(0x7f000001, StickClock.now(), 2, ServerKeys.intern("s2"));
    }

    String run(CliLevel level, String line) {
        return new CliSession(registry, ctx, level).onLine(line);
    }

    static String mask(String s) {
        return s.replaceAll("(?m)^0x[0-9a-f]{12}: ", "0xP: ");
    }

    @Test
    void showTableListsHeadersAndEntries() {
        assertThat(run(CliLevel.USER, "show table")).isEqualTo("""
                # table: be, type: ip, size:1024, used:1
                # table: t_str, type: string, size:4, used:0

                """);
        assertThat(mask(run(CliLevel.OPERATOR, "show table be"))).isEqualTo("""
                # table: be, type: ip, size:1024, used:1
                0xP: key=127.0.0.1 use=0 exp=0 server_id=2 conn_cnt=0 http_req_rate(10000)=0 server_key=s2

                """);
        assertThat(run(CliLevel.USER, "show table be")).isEqualTo("# table: be, type: ip, size:1024, used:1\n"
                + "# contents not dumped due to insufficient privileges\n\n");
        assertThat(run(CliLevel.ADMIN, "show table be key 127.0.0.9")).isEqualTo("\n");
        assertThat(run(CliLevel.ADMIN, "show table be data.conn_cnt gt 0"))
                .isEqualTo("# table: be, type: ip, size:1024, used:1\n\n");
    }

    @Test
    void helpFiltersByCommand() {
        assertThat(run(CliLevel.USER, "help show table")).isEqualTo("The following commands are valid at this level:\n"
                + "  show table <table> [<filter>]*          : report table usage stats or dump this table's contents"
                + " (filter: data/key)\n"
                + "  help [<command>]                        : list matching or all commands\n"
                + "  prompt                                  : toggle interactive mode with prompt\n"
                + "  quit                                    : disconnect\n\n");
    }

    @Test
    void errorsAreHaproxys() {
        assertThat(run(CliLevel.ADMIN, "show table nope")).isEqualTo("No such table\n\n");
        assertThat(run(CliLevel.ADMIN, "show table be data.gpc0 eq 1"))
                .isEqualTo("Filter entry #1: Data type not stored in this table\n\n");
        assertThat(run(CliLevel.ADMIN, "show table be data.conn_cnt xx 1")).isEqualTo(
                "Filter entry #1: Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n\n");
        assertThat(run(CliLevel.ADMIN, "show table be data.server_id eq 2 key 127.0.0.1"))
                .isEqualTo("Filter entry #2: Unknown data type\n\n");
        assertThat(run(CliLevel.ADMIN, "set table be data.conn_cnt 1")).isEqualTo(
                "content-based lookup is only supported with the \"show\" and \"clear\" actions\n\n");
        assertThat(run(CliLevel.ADMIN, "set table be key 10.0.0.1 data.conn_cnt x"))
                .isEqualTo("Require a valid integer value to store\n\n");
        assertThat(run(CliLevel.USER, "set table be key 10.0.0.1 data.conn_cnt 1")).isEqualTo("Permission denied\n\n");
        assertThat(run(CliLevel.USER, "clear table be key 127.0.0.1")).isEqualTo("Permission denied\n\n");
        assertThat(run(CliLevel.USER, "clear table be")).isEqualTo("\n");
        assertThat(run(CliLevel.ADMIN, "show table be")).contains("key=127.0.0.1 ");
    }

    @Test
    void setAndClearChangeEntries() {
        assertThat(run(CliLevel.OPERATOR, "set table be key 300.1.1.1 data.conn_cnt 5 data.http_req_rate 3"))
                .isEqualTo("\n");
        assertThat(mask(run(CliLevel.OPERATOR, "show table be key 44.1.1.1"))).isEqualTo("""
                # table: be, type: ip, size:1024, used:2
                0xP: key=44.1.1.1 use=0 exp=0 server_id=0 conn_cnt=5 http_req_rate(10000)=3 server_key=-

                """);
        assertThat(run(CliLevel.OPERATOR, "clear table be data.conn_cnt eq 5;show table")).isEqualTo(
                "\n# table: be, type: ip, size:1024, used:1\n# table: t_str, type: string, size:4, used:0\n\n");
        assertThat(run(CliLevel.OPERATOR, "set table t_str key alice;show table t_str")).matches(
                "(?s)\n# table: t_str, type: string, size:4, used:1\n0x[0-9a-f]{12}: key=alice use=0 exp=\\d+\n\n");
        assertThat(run(CliLevel.OPERATOR, "clear table be;show table be"))
                .isEqualTo("\n# table: be, type: ip, size:1024, used:0\n\n");
    }
}
