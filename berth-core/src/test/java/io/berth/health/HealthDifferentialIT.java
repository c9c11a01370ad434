package io.berth.health;

import io.berth.model.ServerSpec;
import io.berth.model.TimeoutsSpec;
import io.berth.server.ServerGroup;
import io.berth.testkit.Haproxy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.berth.health.HealthFixtures.backend;
import static io.berth.health.HealthFixtures.check;
import static io.berth.health.HealthFixtures.group;
import static io.berth.health.HealthFixtures.httpchk;
import static io.berth.health.HealthFixtures.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Same backend, same flapping server, run by /usr/sbin/haproxy and by Berth: the sequences of health log lines
 * (durations masked) must be identical.
 */
class HealthDifferentialIT {
    /** Drives one flap: healthy until the first check is logged, 503 until DOWN, healthy until UP. */
    private static void flap(CheckTarget t, Supplier<List<String>> lines) {
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.get().size() >= 1);
        t.respond = CheckTarget.UNAVAILABLE;
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.get().stream().anyMatch(l -> l.contains(" is DOWN")));
        t.respond = CheckTarget.OK;
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.get().stream().anyMatch(l -> l.contains(" is UP")));
    }

    private static List<String> masked(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("check duration: \\d+ms", "check duration: Nms")).toList();
    }

    @Test
    void flapProducesTheSameLogAsHaproxy() throws Exception {
        Haproxy.assumeInstalled();
        List<String> haproxy = runHaproxy();
        List<String> berth = runBerth();
        assertThat(masked(berth)).isEqualTo(masked(haproxy));
        assertThat(masked(haproxy)).contains(
                "Server flap/f1 is DOWN. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.");
    }

    private static List<String> runHaproxy() throws Exception {
        try (CheckTarget t = new CheckTarget()) {
            int bind = io.berth.testkit.BerthInstance.freePort();
            // no port to wait for: a probe connection would add a log line; flap() waits for the first check
            List<String> lines;
            try (Haproxy p = Haproxy.start("""
                        global
                          log stdout format raw local0
                        defaults
                          mode http
                          log global
                          option log-health-checks
                          timeout connect 1s
                          timeout client 5s
                          timeout server 5s
                        frontend fe
                          bind 127.0.0.1:%d
                          default_backend flap
                        backend flap
                          option httpchk GET /health
                          server f1 127.0.0.1:%d check inter 100 rise 2 fall 3
                          server f2 127.0.0.1:%d
                        """.formatted(bind, t.port(), t.port()))) {
                flap(t, p::logLines);
                lines = p.logLines();
            }
            return List.copyOf(lines.subList(0, indexOfUp(lines) + 1));
        }
    }

    private static List<String> runBerth() throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (CheckTarget t = new CheckTarget()) {
            List<ServerSpec> specs = List.of(server("f1", t.port(), check(100, 100, 100, 2, 3)),
                    server("f2", t.port(), io.berth.model.CheckSpec.NONE));
            ServerGroup g = group("flap", specs);
            HealthFixtures.Events events = new HealthFixtures.Events();
            HealthChecks hc = HealthChecks.start(backend("flap", specs,
                            new io.berth.model.HttpCheckSpec("GET", "/health", null, List.of(), null, List.of()),
                            TimeoutsSpec.NONE), g, loops, events, new HealthOptions(true, "backend"));
            try {
                flap(t, events::messages);
            } finally {
                hc.stop();
            }
            List<String> lines = events.messages();
            return List.copyOf(lines.subList(0, indexOfUp(lines) + 1));
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static int indexOfUp(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" is UP")) {
                return i;
            }
        }
        return lines.size() - 1;
    }
}
