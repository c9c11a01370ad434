package io.berth.health;

import io.berth.proxy.tls.TestCertificates;
import io.berth.proxy.tls.TlsBackend;
import io.berth.runtime.RuntimeBackend;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code http-check connect} live against /usr/sbin/haproxy: one backend per form (alone, {@code port},
 * {@code addr} + {@code port}, {@code addr ip:port}, {@code ssl}, and a clear connect on a {@code check-ssl} server),
 * each server's own address dead or wrong so that only the rule's choice can pass; the first health log line of
 * every backend ({@code option log-health-checks}, durations masked) must be the same on both sides, and each must
 * be a passed Layer7 check.
 */
class HttpCheckConnectDifferentialIT {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            global
              log stdout format raw local0 info
            defaults
              mode http
              log global
              option log-health-checks
              timeout connect 1s
              timeout client 5s
              timeout server 5s
              timeout check 2s
            frontend fe
              bind 127.0.0.1:${fe}
              default_backend alone
            backend alone
              option httpchk GET /alone
              http-check connect
              server s1 127.0.0.1:${t} check inter 300
            backend port
              option httpchk GET /port
              http-check connect port ${t}
              server s1 127.0.0.1:${dead} check inter 300
            backend addr
              option httpchk GET /addr
              http-check connect addr 127.0.0.1 port ${t} linger comment to-the-target
              server s1 127.0.0.2:${dead} check inter 300 port ${dead}
            backend addrport
              option httpchk GET /addrport
              http-check connect addr 127.0.0.1:${t}
              server s1 127.0.0.2:${dead} check inter 300
            backend ssl
              option httpchk GET /ssl
              http-check connect ssl
              server s1 127.0.0.1:${tls} check inter 300 verify none
            backend clear
              option httpchk GET /clear
              http-check connect
              server s1 127.0.0.1:${t} check inter 300 check-ssl verify none
            """;

    private static final List<String> BACKENDS = List.of("alone", "port", "addr", "addrport", "ssl", "clear");

    @Test
    void everyConnectFormChecksWhereHaproxyChecks() throws Exception {
        Haproxy.assumeInstalled();
        try (CheckTarget t = new CheckTarget();
             TlsBackend tls = new TlsBackend("tls", TestCertificates.selfSigned(dir, "c.pem", "c.test"))) {
            Map<String, String> ports = new HashMap<>();
            ports.put("t", String.valueOf(t.port()));
            ports.put("tls", String.valueOf(tls.port()));
            ports.put("dead", String.valueOf(BerthInstance.freePort()));
            Map<String, String> haproxy = firstLines(haproxyLines(ports));
            Map<String, String> berth = firstLines(berthLines(ports));
            for (String b : BACKENDS) {
                assertThat(haproxy.get(b)).as("haproxy " + b).isEqualTo("Health check for server " + b + "/s1"
                        + " succeeded, reason: Layer7 check passed, code: 200, check duration: Nms, status: 3/3 UP.");
            }
            assertThat(berth).as("berth vs haproxy").isEqualTo(haproxy);
            assertThat(t.requests).anyMatch(r -> r.startsWith("GET /clear HTTP/1.0\r\n"));
            assertThat(tls.paths).contains("/ssl");
        }
    }

    /** The first health line of each backend, check duration and info masked. */
    private static Map<String, String> firstLines(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        for (String l : lines) {
            for (String b : BACKENDS) {
                if (l.startsWith("Health check for server " + b + "/")) {
                    out.putIfAbsent(b, l.replaceAll("check duration: \\d+ms", "check duration: Nms")
                            .replaceAll(", info: \"[^\"]*\"", ""));
                }
            }
        }
        return out;
    }

    private static boolean complete(List<String> lines) {
        return firstLines(lines).size() == BACKENDS.size();
    }

    private static List<String> haproxyLines(Map<String, String> ports) {
        try (Haproxy h = Haproxy.start(BerthInstance.substitute(CONFIG, new HashMap<>(ports)))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> complete(h.logLines()));
            return h.logLines();
        }
    }

    private static List<String> berthLines(Map<String, String> ports) {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<HealthChecks> checks = new ArrayList<>();
        try (BerthInstance b = BerthInstance.start(BerthInstance.substitute(CONFIG, new HashMap<>(ports)), null)) {
            try {
                for (RuntimeBackend be : b.runtime().backends()) {
                    checks.add(HealthChecks.start(be.spec(), be.servers(), b.proxy().eventLoopGroup(),
                            (level, message) -> lines.add(message), new HealthOptions(true, "backend")));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> complete(lines));
                return List.copyOf(lines);
            } finally {
                checks.forEach(HealthChecks::stop);
            }
        }
    }
}
