package io.berth.config;

import io.berth.Subsystems;
import io.berth.testkit.Haproxy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code /usr/sbin/haproxy -c} and Berth on the same broken configurations and compares the ALERT and
 * WARNING lines (PID and NOTICE lines removed).
 */
class HaproxyDifferentialTest {
    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            """;

    @ParameterizedTest
    @ValueSource(strings = {
            "backend be\n    servr s1 127.0.0.1:80\n",
            "backend be\n    server s1\n",
            "backend be\n    timeout server 10x\n    server s1 127.0.0.1:80\n",
            "backend be\n    server s1 127.0.0.1:80 chek\n    server s1 127.0.0.1:81\n    server s2 127.0.0.1:99999\n",
            "backend be\n    balance foo\n    hash-type map-based md5\n    hash-type foo\n",
            "frontend fe\n    bind 127.0.0.1:notaport\n    bind 127.0.0.1\n    default_backend be\nbackend be\n",
            "frontend fe\n    bind 127.0.0.1:18999\n    option redispatch\n    timeout server 1s\n    default_backend nosuch\n",
            "backends be\n    server s1 127.0.0.1:80\n    acl x path /\n    http-request deny\n",
            "backend be\n    option httpchk\n    http-check expect stat 200\n    server s1 127.0.0.1:80 weight 300 rise 0\n",
            "global\n    maxconnn 10\n    nbthread 0\n    log 127.0.0.1:514 local9\nbackend be\n    mode foo\n    option foo\n",
            "backend be\n    timeout foo 1s\n    retries\n    balance uri len x\n    server s1 127.0.0.1:80 inter\n",
            // a named defaults with HTTP rules serves frontends or backends, not both, nor a listen or a defaults
            // (each stops the reading: HAProxy's ERR_ABORT, so the lines after report nothing)
            "defaults d\n    mode http\n    http-request deny if { path /x }\nfrontend fe from d\n"
                    + "    bind 127.0.0.1:18998\n    default_backend be\nbackend be from d\n    servr s1\n",
            "defaults d\n    mode http\n    http-response set-header x-a 1\nlisten app from d\n"
                    + "    bind 127.0.0.1:18997\n    server s1 127.0.0.1:80\n",
            "defaults d\n    mode http\n    acl bad path /x\n    http-request deny if bad\ndefaults e from d\n"
                    + "backend be from d\n    servr s1\n",
            // used both implicitly and by name: an ALERT that only warns, the configuration stays valid
            "defaults d\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n"
                    + "backend be from d\n    server s1 127.0.0.1:80\nfrontend fe\n    bind 127.0.0.1:18996\n"
                    + "    default_backend be\n"})
    void sameDiagnosticsAsHaproxy(String body, @TempDir Path dir) throws Exception {
        Haproxy.assumeInstalled();
        Path cfg = dir.resolve("d.cfg");
        Files.writeString(cfg, HEAD + body);
        String out = Haproxy.check(cfg);
        List<String> expected = new ArrayList<>();
        for (String line : out.split("\n")) {
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
}
