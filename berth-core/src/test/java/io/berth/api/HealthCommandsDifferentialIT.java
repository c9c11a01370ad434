package io.berth.api;

import io.berth.health.HealthChecks;
import io.berth.health.HealthEventSink;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;
import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RuntimeApi;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code disable health}, {@code enable health} and {@code set server health} on servers with {@code check}, on
 * real HAProxy 2.6 and Berth side by side: once the checks have settled (s1 UP, s2 DOWN), checks are suspended
 * on both servers so that the states compared afterwards cannot race the next check.
 */
class HealthCommandsDifferentialIT {
    static final String CONFIG = """
            global
                stats socket ${dir}/${who}-admin.sock mode 600 level admin
            defaults
                mode http
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            backend be
                server s1 127.0.0.1:${s1} check inter 200ms rise 1 fall 1
                server s2 127.0.0.1:${closed} check inter 200ms rise 1 fall 1
            """;

    @TempDir
    Path dir;
    Backends backends = Backends.start(1);
    Haproxy haproxy;
    StatsSockets sockets;
    EventLoopGroup loops;
    HealthChecks checks;

    @AfterEach
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (checks != null) {
            checks.stop();
        }
        if (sockets != null) {
            sockets.stop();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
        backends.close();
    }

    String cli(String who, String line) throws Exception {
        return RuntimeApi.cli(dir.resolve(who + "-admin.sock"), line);
    }

    /**
     * Masks srv_time_since_last_change, and the "check in progress" bit of srv_check_state (a 200 ms check may be
     * running at the instant of the dump, on either side); keeps everything else of show servers state.
     */
    static String states(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : ApiCommandsTest.maskStateTimes(s).split("\n", -1)) {
            String[] f = line.split(" ");
            if (f.length > 14 && !line.startsWith("#") && f[13].matches("\\d+")) {
                f[13] = String.valueOf(Integer.parseInt(f[13]) & ~1);
                line = String.join(" ", f);
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** show stat with timing columns (and check_duration, 38) masked. */
    static String stat(String s) {
        return TrafficDifferentialIT.maskStat(s).replaceAll("(?m)^(be,s\\d,(?:[^,]*,){36})[^,]*,", "$1D,");
    }

    @Test
    void healthCommandsOnCheckedServers() throws Exception {
        Haproxy.assumeInstalled();
        Map<String, String> values = new HashMap<>(backends.placeholders());
        values.put("dir", dir.toString());
        values.put("closed", String.valueOf(BerthInstance.freePort()));
        Map<String, String> hv = new HashMap<>(values);
        hv.put("who", "h");
        haproxy = Haproxy.start(BerthInstance.substitute(CONFIG, hv));
        Map<String, String> bv = new HashMap<>(values);
        bv.put("who", "b");
        Runtime rt = ApiCommandsTest.build(BerthInstance.substitute(CONFIG, bv));
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        RuntimeBackend be = rt.backend("be");
        checks = HealthChecks.start(be.spec(), be.servers(), loops, HealthEventSink.NONE);
        Map<String, HealthChecks> byBackend = new LinkedHashMap<>();
        byBackend.put("be", checks);
        sockets = StatsSockets.start(rt, rt.config().global(), byBackend);

        for (String who : List.of("h", "b")) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                String s = cli(who, "show servers state be");
                return s.contains(" s1 127.0.0.1 2 0 1 1 ") && s.contains(" s2 127.0.0.1 0 0 1 1 ")
                        && s.contains(" 6 3 1 6 0 0 0 - " + values.get("s1"))
                        && s.contains(" 8 2 0 6 0 0 0 - " + values.get("closed"));
            });
        }
        for (String line : List.of(
                "disable health be/s1;disable health be/s2;disable health be/zz;show servers state be",
                "show stat",
                "set server be/s2 health up;show servers state be;show stat",
                "set server be/s1 health down;show servers state be;show stat",
                "set server be/s1 health stopping;show servers state be",
                "set server be/s1 health up;set server be/s2 health down;show servers state be")) {
            String h = cli("h", line);
            String b = cli("b", line);
            assertThat(stat(states(b))).as(line).isEqualTo(stat(states(h)));
        }
        assertThat(cli("b", "enable health be/s1;enable health be/s2")).isEqualTo("\n\n");
        // checks resume: s1 (reachable) stays UP, s2 (closed port, forced up) goes back DOWN
        cli("b", "set server be/s2 health up");
        await().atMost(Duration.ofSeconds(5)).until(() -> be.servers().byName("s2").isHealthDown());
        assertThat(be.servers().byName("s1").isHealthDown()).isFalse();
    }
}
