package io.berth.api;

import io.berth.runtime.Runtime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same configuration and command sequence on real HAProxy 2.6's socket and Berth's, compared line by line.
 * Masked: timers (srv_time_since_last_change, lastchg). {@code help} is compared as an ordered subset (Berth
 * lists only the commands it supports).
 */
class StatsSocketDifferentialIT {
    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    @TempDir
    Path dir;
    Process haproxy;
    StatsSockets berth;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.destroy();
        }
        if (berth != null) {
            berth.stop();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String config(String name) throws Exception {
        return ApiCommandsTest.CONFIG
                .replace("stats socket /tmp/berth-api-test.sock mode 600 level admin\n",
                        "stats socket " + dir.resolve(name + "-admin.sock") + " mode 600 level admin\n"
                                + "    stats socket " + dir.resolve(name + "-user.sock") + " level user\n"
                                + "    stats socket " + dir.resolve(name + "-oper.sock") + " level operator\n")
                .replace("127.0.0.1:18031", "127.0.0.1:" + freePort())
                .replace("127.0.0.1:18032", "127.0.0.1:" + freePort());
    }

    static final List<String[]> SEQUENCE = List.of(
            new String[]{"admin", "show cli level;show backend"},
            new String[]{"user", "show cli level;disable server be/s1;set weight be/s1 2;show env HOME"},
            new String[]{"oper", "show cli level;set server be/s1 state maint;get weight be/s2"},
            new String[]{"admin", "show servers state"},
            new String[]{"admin", "disable server be/s1;show servers state be"},
            new String[]{"admin", "set server be/s1 state drain;show servers state be"},
            new String[]{"admin", "set server be/s1 state ready;enable server be/s3;show servers state be"},
            new String[]{"admin", "set server be/s1 weight 7;get weight be/s1;set weight be/s2 50%;get weight be/s2"},
            new String[]{"admin", "disable server be/zz;disable server zz/s1;disable server be;get weight"},
            new String[]{"admin", "set server be/s1 state foo;set server be/s1 health foo;set server be/s1 weight 300"},
            new String[]{"admin", "set server be/s1 weight -5%;set server be/s1 addr;set server be/s1 addr bad"},
            new String[]{"admin", "set server be/s1 addr 127.0.0.5 port 19200;set server be/s1 addr 127.0.0.5"},
            new String[]{"admin", "show servers state zz;show stats;show servers stat;set server be/s1"},
            new String[]{"admin", "set server be/s1 health down;show servers state be;show stat"},
            new String[]{"admin", "set server be/s1 health up;set server be/s2 health stopping;show stat"},
            new String[]{"user", "show stat"},
            new String[]{"oper", "show env NOPE_NOT_SET;show servers state li"});

    @Test
    void sameCommandsSameAnswers() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HAPROXY),
                "HAProxy 2.6 not installed (/usr/sbin/haproxy): differential test skipped");
        Path cfg = dir.resolve("h.cfg");
        Files.writeString(cfg, config("h"));
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("h.log").toFile()).start();
        Runtime rt = ApiCommandsTest.build(config("b"));
        berth = StatsSockets.start(rt, rt.config().global(), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("h-oper.sock")));

        for (String[] step : SEQUENCE) {
            String h = StatsSocketIT.exchange(UnixDomainSocketAddress.of(dir.resolve("h-" + step[0] + ".sock")), step[1] + "\n");
            String b = StatsSocketIT.exchange(UnixDomainSocketAddress.of(dir.resolve("b-" + step[0] + ".sock")), step[1] + "\n");
            assertThat(mask(b)).as("[%s] %s", step[0], step[1]).isEqualTo(mask(h));
        }
        String h = StatsSocketIT.exchange(UnixDomainSocketAddress.of(dir.resolve("h-user.sock")), "help\n");
        String b = StatsSocketIT.exchange(UnixDomainSocketAddress.of(dir.resolve("b-user.sock")), "help\n");
        List<String> hl = List.of(h.split("\n", -1));
        List<String> bl = List.of(b.split("\n", -1));
        assertThat(bl.size()).isGreaterThan(15);
        int at = 0;
        for (String line : bl) {
            int found = hl.subList(at, hl.size()).indexOf(line);
            assertThat(found).as("help line in HAProxy's order: %s", line).isNotNegative();
            at += found + 1;
        }
    }

    /** Masks timers: column 10 of server-state lines, lastchg (24th) of CSV rows. */
    static String mask(String s) {
        List<String> out = new ArrayList<>();
        for (String line : s.split("\n", -1)) {
            if (line.matches("\\d+ \\S+ \\d+ \\S+ \\S+ \\d+ \\d+ \\d+ \\d+ \\d+ .*")) {
                String[] w = line.split(" ");
                w[9] = "T";
                line = String.join(" ", w);
            } else if (!line.startsWith("#") && line.chars().filter(c -> c == ',').count() == 128) {
                String[] w = line.split(",", -1);
                w[23] = w[23].isEmpty() ? "" : "T";
                line = String.join(",", w);
            }
            out.add(line);
        }
        return String.join("\n", out);
    }
}
