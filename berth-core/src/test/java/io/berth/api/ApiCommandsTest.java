package io.berth.api;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.log.AccessLog;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each command's answer over a Runtime built from config text, against HAProxy 2.6.12's captured output. */
class ApiCommandsTest {
    static final String CONFIG = """
            global
                maxconn 2000
                stats socket /tmp/berth-api-test.sock mode 600 level admin
                stats timeout 3s
            defaults
                mode http
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:18031
                default_backend be
            backend be
                server s1 127.0.0.1:19101
                server s2 127.0.0.1:19102 weight 4
                server s3 127.0.0.1:19103 id 42 disabled
            listen li
                bind 127.0.0.1:18032
                balance roundrobin
                server b 127.0.0.2:19105 backup
            """;

    Runtime runtime;
    ApiContext ctx;
    CommandRegistry registry = ApiCommands.registry();

    static Runtime build(String text) throws Exception {
        return RuntimeBuilder.build(ConfigLoader.parse(Subsystems.keywords(), "api.cfg", text).config(), null);
    }

    @BeforeEach
    void setUp() throws Exception {
        runtime = build(CONFIG);
        ctx = new ApiContext(runtime, Map.of());
    }

    String run(CliLevel level, String line) {
        return new CliSession(registry, ctx, level).onLine(line);
    }

    /** Masks srv_time_since_last_change (column 10). */
    static String maskStateTimes(String s) {
        return s.replaceAll("(?m)^(\\d+ \\S+ \\d+ \\S+ \\S+ \\d+ \\d+ \\d+ \\d+) \\d+ ", "$1 T ");
    }

    @Test
    void showServersStateMatchesHaproxyThroughAdminChanges() {
        String header = "1\n" + ServersState.HEADER;
        assertThat(maskStateTimes(run(CliLevel.USER, "show servers state be"))).isEqualTo(header + """
                3 be 1 s1 127.0.0.1 2 0 1 1 T 1 0 2 0 0 0 0 - 19101 - 0 0 - - 0
                3 be 2 s2 127.0.0.1 2 0 4 4 T 1 0 2 0 0 0 0 - 19102 - 0 0 - - 0
                3 be 42 s3 127.0.0.1 0 5 1 1 T 1 0 0 8 0 0 1 - 19103 - 0 0 - - 0

                """);
        assertThat(run(CliLevel.ADMIN, "disable server be/s1")).isEqualTo("\n");
        assertThat(maskStateTimes(run(CliLevel.ADMIN, "show servers state be")))
                .contains("3 be 1 s1 127.0.0.1 0 1 1 1 T 1 0 0 0 0 0 0 - 19101 - 0 0 - - 0\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 state drain")).isEqualTo("\n");
        assertThat(maskStateTimes(run(CliLevel.ADMIN, "show servers state be")))
                .contains("3 be 1 s1 127.0.0.1 2 8 1 1 T 1 0 0 0 0 0 0 - 19101 - 0 0 - - 0\n");
        assertThat(run(CliLevel.ADMIN, "show servers state zz")).isEqualTo("Can't find backend.\n\n");
    }

    @Test
    void serverCommandErrorsAreHaproxys() {
        assertThat(run(CliLevel.ADMIN, "disable server be/zz")).isEqualTo("No such server.\n\n");
        assertThat(run(CliLevel.ADMIN, "disable server zz/s1")).isEqualTo("No such backend.\n\n");
        assertThat(run(CliLevel.ADMIN, "disable server be")).isEqualTo("Require 'backend/server'.\n\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 state foo"))
                .isEqualTo("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 weight 300"))
                .isEqualTo("Absolute weight can only be between 0 and 256 inclusive.\n\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 weight abc"))
                .isEqualTo("Empty weight string empty or preceded by garbage\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 weight 7x")).isEqualTo("Trailing garbage in weight string\n");
        assertThat(run(CliLevel.ADMIN, "set weight be/s2")).isEqualTo("Require <weight> or <weight%>.\n\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 health foo"))
                .isEqualTo("'set server <srv> health' expects 'up', 'stopping', or 'down'.\n\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 addr"))
                .isEqualTo("set server <b>/<s> addr requires an address and optionally a port.\n\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1 addr bad"))
                .isEqualTo("Invalid addr 'bad' by 'stats socket command'\n\n");
        assertThat(run(CliLevel.ADMIN, "set server be/s1")).startsWith("usage: set server <backend>/<server> addr |");
    }

    @Test
    void weightsAndAddressesChangeTheLiveServer() {
        assertThat(run(CliLevel.ADMIN, "set server be/s1 weight 7;get weight be/s1")).isEqualTo("\n7 (initial 1)\n\n");
        assertThat(run(CliLevel.ADMIN, "set weight be/s2 50%;get weight be/s2")).isEqualTo("\n2 (initial 4)\n\n");
        assertThat(runtime.backend("be").servers().byName("s2").weight()).isEqualTo(2);
        assertThat(run(CliLevel.ADMIN, "set server be/s1 addr 127.0.0.5 port 19200")).isEqualTo(
                "IP changed from '127.0.0.1' to '127.0.0.5', port changed from '19101' to '19200' by 'stats socket command'\n\n");
        assertThat(runtime.backend("be").servers().byName("s1").address().getPort()).isEqualTo(19200);
        assertThat(run(CliLevel.ADMIN, "set server be/s1 addr 127.0.0.5 port 19200")).isEqualTo(
                "no need to change the addr, no need to change the port by 'stats socket command'\n\n");
    }

    @Test
    void levelsAreEnforcedWithHaproxysMessage() {
        assertThat(run(CliLevel.USER, "show cli level")).isEqualTo("user\n\n");
        assertThat(run(CliLevel.USER, "disable server be/s1")).isEqualTo("Permission denied\n\n");
        assertThat(run(CliLevel.OPERATOR, "set server be/s1 weight 2")).isEqualTo("Permission denied\n\n");
        assertThat(run(CliLevel.USER, "show env HOME")).isEqualTo("Permission denied\n\n");
        assertThat(run(CliLevel.USER, "get weight be/s1")).isEqualTo("1 (initial 1)\n\n");
        assertThat(run(CliLevel.ADMIN, "operator;show cli level;disable server be/s1"))
                .isEqualTo("\noperator\n\nPermission denied\n\n");
        assertThat(runtime.backend("be").servers().byName("s1").isAdminMaint()).isFalse();
    }

    @Test
    void adminChangesAreLoggedAsHaproxyWordsThem() {
        StringBuilder log = new StringBuilder();
        AccessLog capture = new AccessLog() {
            public void http(io.berth.log.HttpLogEntry e) {
            }

            public void tcp(io.berth.log.TcpLogEntry e) {
            }

            public void event(String level, String message) {
                log.append(message).append('\n');
            }
        };
        var be = runtime.backend("be");
        ctx.swap(new Runtime(runtime.config(), runtime.frontends(), java.util.List.of(new io.berth.runtime.RuntimeBackend(
                be.spec(), be.servers(), be.balancer(), be.requestRules(), be.responseRules(), capture),
                runtime.backend("li"))), Map.of());
        run(CliLevel.ADMIN, "disable server be/s1;enable server be/s1;set server be/s1 state drain;"
                + "set server be/s1 state ready;set server be/s1 health down;set server be/s1 health up");
        assertThat(log.toString()).isEqualTo("""
                Server be/s1 is going DOWN for maintenance. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
                Server be/s1 is UP/READY (leaving forced maintenance).
                Server be/s1 enters drain state. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.
                Server be/s1 is UP (leaving forced drain).
                Server be/s1 is DOWN, changed from CLI. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
                Server be/s1 is UP, changed from CLI. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.
                """);
    }

    @Test
    void showStatRowsMatchHaproxy() {
        String out = run(CliLevel.OPERATOR, "show stat").replaceAll("(?m)^((?:[^,]*,){23})\\d+,", "$1T,");
        assertThat(out).startsWith(StatCsv.HEADER);
        assertThat(out).contains("\nfe,FRONTEND,,,0,0,2000,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\n");
        assertThat(out).contains("\nbe,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,1,0,,,T,,,1,3,1,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:19101,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,\n");
        assertThat(out).contains("\nbe,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,1,0,,,T,,,1,3,42,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:19103,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,\n");
        assertThat(out).contains("\nbe,BACKEND,0,0,0,0,200,0,0,0,0,0,,0,0,0,0,UP,5,2,0,,0,T,0,,1,3,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,5,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\n");
        assertThat(out).contains("\nli,BACKEND,0,0,0,0,200,0,0,0,0,0,,0,0,0,0,UP,1,0,1,,0,T,0,,1,4,0,,0,,1,0,");
        String user = run(CliLevel.USER, "show stat");
        assertThat(user).contains(",,,,,,,,,,,,,,http,,,,,").doesNotContain("127.0.0.1:19101").doesNotContain("roundrobin");
    }

    @Test
    void helpAndUnknownCommandsComeFromTheRegistry() {
        String help = run(CliLevel.USER, "help");
        assertThat(help).startsWith("The following commands are valid at this level:\n"
                + "  clear table <table> [<filter>]*         : remove an entry from a table (filter: data/key)\n"
                + "  disable health                          : disable health checks\n"
                + "  disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)\n");
        assertThat(help).endsWith("  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server\n"
                + "  show table <table> [<filter>]*          : report table usage stats or dump this table's contents"
                + " (filter: data/key)\n"
                + "  user                                    : lower the level of the current CLI session to user\n"
                + "  help [<command>]                        : list matching or all commands\n"
                + "  prompt                                  : toggle interactive mode with prompt\n"
                + "  quit                                    : disconnect\n\n");
        assertThat(run(CliLevel.ADMIN, "show stats")).isEqualTo("""
                Unknown command, but maybe one of the following ones is a better match:
                  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server
                  help [<command>]                        : list matching or all commands
                  prompt                                  : toggle interactive mode with prompt
                  quit                                    : disconnect

                """);
        assertThat(run(CliLevel.ADMIN, "show servers stat")).contains("  show servers state [<backend>]   ");
        assertThat(run(CliLevel.ADMIN, "")).startsWith("Unknown command. Please enter one of the following commands only:\n");
    }

    @Test
    void oneShotAndPromptModes() {
        CliSession s = new CliSession(registry, ctx, CliLevel.ADMIN);
        assertThat(s.onLine("prompt")).isEqualTo("\n> ");
        assertThat(s.onLine("show cli level")).isEqualTo("admin\n\n> ");
        assertThat(s.isClosing()).isFalse();
        assertThat(s.onLine("show backend;get weight be/s1")).isEqualTo("# name\nbe\nli\n\n1 (initial 1)\n\n> ");
        assertThat(s.onLine("quit")).isEmpty();
        assertThat(s.isClosing()).isTrue();
        CliSession once = new CliSession(registry, ctx, CliLevel.ADMIN);
        once.onLine("show cli level");
        assertThat(once.isClosing()).isTrue();
    }

    @Test
    void showInfoListsHaproxysFieldsInOrder() {
        String info = run(CliLevel.USER, "show info");
        assertThat(info).startsWith("Name: Berth\nVersion: ");
        assertThat(info).contains("\nNbproc: 1\nProcess_num: 1\nPid: " + ProcessHandle.current().pid() + "\n");
        assertThat(info).contains("\nMaxconn: 2000\nHard_maxconn: 2000\nCurrConns: 0\nCumConns: 0\nCumReq: 0\n");
        assertThat(info).endsWith("\nTainted: 0\n\n");
        assertThat(info.split("\n")).hasSize(69);
    }
}
