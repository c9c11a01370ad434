package io.berth.health;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.CheckSpec;
import io.berth.testkit.Haproxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code http-check connect} parsing: the same ALERT lines as {@code /usr/sbin/haproxy -c} for bad options and
 * misplaced steps, none for the accepted forms; and where a check connects ({@link CheckConnect#target}).
 */
class HttpCheckConnectTest {
    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            backend be
                option httpchk GET /h
            """;

    @ParameterizedTest
    @ValueSource(strings = {
            "    http-check connect foo\n",
            "    http-check connect port\n",
            "    http-check connect port 0\n",
            "    http-check connect comment\n",
            "    http-check connect addr\n",
            "    http-check connect addr bad\n",
            "    http-check connect addr 127.0.0.1:99999\n",
            "    http-check expect status 200\n    http-check connect\n",
            "    http-check connect\n    http-check expect status 200\n",
            "    http-check connect port 81\n    http-check connect port 82\n",
            "    http-check connect\n",
            "    http-check connect default port 80 linger comment hi\n",
            "    http-check connect addr 127.0.0.1:8080 ssl\n    http-check send meth GET\n    http-check expect status 200\n"})
    void sameDiagnosticsAsHaproxy(String body, @TempDir Path dir) throws Exception {
        Haproxy.assumeInstalled();
        Path cfg = dir.resolve("d.cfg");
        Files.writeString(cfg, HEAD + body + "    server s1 127.0.0.1:80 check verify none\n");
        List<String> expected = new ArrayList<>();
        for (String line : Haproxy.check(cfg).split("\n")) {
            if ((line.startsWith("[ALERT]") || line.startsWith("[WARNING]")) && !line.contains("Error(s) found")
                    && !line.contains("Fatal errors found") && !line.contains("Failed to initialize")) {
                expected.add(line.replaceFirst("\\(\\d+\\)", "(PID)"));
            }
        }
        ConfigLoader.Result r = ConfigLoader.load(Subsystems.keywords(), List.of(cfg));
        List<String> actual = r.diagnostics().stream()
                .map(d -> d.format(0).replace("(0)", "(PID)").replace(cfg.toString(), "d.cfg").split("\n")[0])
                .toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void firstBadConnectsAreWordedAsHaproxy() {
        assertThat(alerts("    http-check connect port 0\n")).containsExactly("parsing [t.cfg:8] : 'http-check"
                + " connect' : expects a valid TCP port (from range 1 to 65535) or a sample expression, got 0..");
        assertThat(alerts("    http-check connect\n    http-check expect status 200\n")).containsExactly(
                "parsing [t.cfg:9] : 'http-check expect' : unable to add http-check expect rule at step 2 (missing"
                        + " send rule)..");
        assertThat(alerts("    http-check connect sni x\n")).containsExactly(
                "parsing [t.cfg:8] : 'http-check connect sni' is not yet supported by Berth.");
    }

    private static List<String> alerts(String body) {
        ConfigLoader.Result r = ConfigLoader.parse(Subsystems.keywords(), "t.cfg", HEAD + body
                + "    server s1 127.0.0.1:80 check\n");
        return r.texts();
    }

    @Test
    void targetFollowsHaproxysOrder() {
        InetSocketAddress server = new InetSocketAddress("127.0.0.2", 80);
        CheckSpec plain = CheckSpec.NONE;
        CheckSpec withCheckAddr = new CheckSpec(true, 2000, 2000, 2000, 2, 3, 8081, "127.0.0.3");
        assertThat(CheckConnect.parse(List.of()).target(server, plain)).isEqualTo(server);
        assertThat(CheckConnect.parse(List.of("port", "9000")).target(server, plain))
                .isEqualTo(new InetSocketAddress("127.0.0.2", 9000));
        // the server's check addr and port apply where the rule is silent
        assertThat(CheckConnect.parse(List.of()).target(server, withCheckAddr))
                .isEqualTo(new InetSocketAddress("127.0.0.3", 8081));
        assertThat(CheckConnect.parse(List.of("addr", "127.0.0.9")).target(server, withCheckAddr))
                .isEqualTo(new InetSocketAddress("127.0.0.9", 8081));
        // a port written in addr beats the server's check port; the rule's port beats both
        assertThat(CheckConnect.parse(List.of("addr", "127.0.0.9:7000")).target(server, withCheckAddr))
                .isEqualTo(new InetSocketAddress("127.0.0.9", 7000));
        assertThat(CheckConnect.parse(List.of("addr", "127.0.0.9:7000", "port", "7001")).target(server,
                withCheckAddr)).isEqualTo(new InetSocketAddress("127.0.0.9", 7001));
        assertThat(CheckConnect.parse(List.of("addr", "[::1]:7002")).target(server, plain))
                .isEqualTo(new InetSocketAddress("::1", 7002));
        CheckConnect c = CheckConnect.parse(List.of("default", "ssl", "linger", "comment", "x"));
        assertThat(List.of(c.isDefault(), c.ssl(), c.port())).containsExactly(true, true, 0);
        assertThatThrownBy(() -> CheckConnect.parse(List.of("port", "%[src_port]")))
                .hasMessage("'http-check connect port' with a sample expression is not yet supported by Berth.");
    }
}
