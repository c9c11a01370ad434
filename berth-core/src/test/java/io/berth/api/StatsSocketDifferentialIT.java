package io.berth.api;

import io.berth.runtime.Runtime;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RuntimeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same configuration and command sequence on real HAProxy 2.6's socket and Berth's, compared line by line.
 * Masked: timers (srv_time_since_last_change, lastchg). {@code help} is compared as an ordered subset (Berth
 * lists only the commands it supports).
 */
class StatsSocketDifferentialIT {
    @TempDir
    Path dir;
    Haproxy haproxy;
    StatsSockets berth;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (berth != null) {
            berth.stop();
        }
    }

    String config(String name) throws Exception {
        return ApiCommandsTest.CONFIG
                .replace("stats socket /tmp/berth-api-test.sock mode 600 level admin\n",
                        "stats socket " + dir.resolve(name + "-admin.sock") + " mode 600 level admin\n"
                                + "    stats socket " + dir.resolve(name + "-user.sock") + " level user\n"
                                + "    stats socket " + dir.resolve(name + "-oper.sock") + " level operator\n")
                .replace("127.0.0.1:18031", "127.0.0.1:" + BerthInstance.freePort())
                .replace("127.0.0.1:18032", "127.0.0.1:" + BerthInstance.freePort());
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
        haproxy = Haproxy.start(config("h"));
        Runtime rt = ApiCommandsTest.build(config("b"));
        berth = StatsSockets.start(rt, rt.config().global(), Map.of());
        haproxy.awaitSocket(dir.resolve("h-oper.sock"));

        for (String[] step : SEQUENCE) {
            String h = RuntimeApi.cli(dir.resolve("h-" + step[0] + ".sock"), step[1]);
            String b = RuntimeApi.cli(dir.resolve("b-" + step[0] + ".sock"), step[1]);
            assertThat(mask(b)).as("[%s] %s", step[0], step[1]).isEqualTo(mask(h));
        }
        String h = RuntimeApi.cli(dir.resolve("h-user.sock"), "help");
        String b = RuntimeApi.cli(dir.resolve("b-user.sock"), "help");
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
