package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Passive health ({@code observe layer4|layer7}, {@code error-limit}, {@code on-error}) live against
 * /usr/sbin/haproxy: the same config on both sides, the same sequence of requests, and the same health log lines
 * ({@code option log-health-checks}) and served-by sequence must come out. a1's traffic port is closed while its
 * check goes to a live port ({@code port}), so only the observed traffic can hurt it; l7's server answers 500 to
 * traffic and passes its TCP check. Checks every 30 s: only the first one runs during a case.
 */
class PassiveHealthDifferentialIT {
    @RegisterExtension
    static Backends backends = Backends.start(2);

    static final String DEFAULTS = """
            global
              log stdout format raw local0 info
            defaults
              mode http
              log global
              option httplog
              option log-health-checks
              retries 0
              timeout connect 1s
              timeout client 10s
              timeout server 10s
            """;

    /**
     * Starts both sides on one listen section (so its checked server is the only one: HAProxy spreads first checks
     * over every checked server of the process) and waits for the first check (3/3 UP) on both.
     */
    private static FailoverSides start(String listen, String body) throws Exception {
        Haproxy.assumeInstalled();
        FailoverSides sides = new FailoverSides(DEFAULTS + "listen " + listen + "\n  bind 127.0.0.1:${" + listen
                + "}\n" + body.stripIndent(), backends, BerthInstance.freePort());
        await().atMost(Duration.ofSeconds(10)).until(() -> sides.healthLines(listen).stream()
                .allMatch(l -> l.size() == 1));
        return sides;
    }

    @BeforeEach
    void answers() {
        backends.get("s1").respond(Reply.ok("b1"));
        backends.get("s2").respond(Reply.status(500).body("a1"));
    }

    /** Sends {@code n} requests to both sides; returns {HAProxy, Berth} "server status" sequences. */
    private static List<List<String>> traffic(FailoverSides sides, String listen, int n) {
        List<String> ha = new ArrayList<>();
        List<String> be = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FailoverSides.Seen[] s = sides.exchange(listen, "/", null);
            ha.add(s[0].logServer() + " " + s[0].status());
            be.add(s[1].logServer() + " " + s[1].status());
        }
        return List.of(ha, be);
    }

    private static List<String> sameHealthLines(FailoverSides sides, String listen) throws Exception {
        List<List<String>> lines = sides.healthLines(listen);
        assertThat(lines.get(1)).as("berth's health lines vs haproxy's").isEqualTo(lines.get(0));
        return lines.get(0);
    }

    @Test
    void suddenDeathLeavesOneFailureBeforeDown() throws Exception {
        try (FailoverSides sides = start("sudden", """
              server a1 127.0.0.1:${dead} check port ${s1} inter 30s observe layer4 error-limit 2 on-error sudden-death
              server b1 127.0.0.1:${s1}
            """)) {
            List<List<String>> seq = traffic(sides, "sudden", 6);
            assertThat(seq.get(1)).isEqualTo(seq.get(0));
            assertThat(seq.get(0)).containsExactly("a1 503", "b1 200", "a1 503", "b1 200", "a1 503", "b1 200");
            assertThat(sameHealthLines(sides, "sudden")).containsExactly(
                    "Health check for server sudden/a1 succeeded, reason: Layer4 check passed, check duration: Nms, status: 3/3 UP.",
                    "Health check for server sudden/a1 failed, reason: Health analyze, info: \"Detected 2 consecutive errors, last one was: L4 unsuccessful connection\", status: 1/3 UP.");
        }
    }

    @Test
    void markDownTakesTheServerOutAtTheErrorLimit() throws Exception {
        try (FailoverSides sides = start("markdown", """
              default-server inter 30s observe layer4 error-limit 2 on-error mark-down
              server a1 127.0.0.1:${dead} check port ${s1}
              server b1 127.0.0.1:${s1}
            """)) {
            List<List<String>> seq = traffic(sides, "markdown", 5);
            assertThat(seq.get(1)).isEqualTo(seq.get(0));
            assertThat(seq.get(0)).containsExactly("a1 503", "b1 200", "a1 503", "b1 200", "b1 200");
            assertThat(sameHealthLines(sides, "markdown")).containsExactly(
                    "Health check for server markdown/a1 succeeded, reason: Layer4 check passed, check duration: Nms, status: 3/3 UP.",
                    "Health check for server markdown/a1 failed, reason: Health analyze, info: \"Detected 2 consecutive errors, last one was: L4 unsuccessful connection\", status: 0/2 DOWN.",
                    "Server markdown/a1 is DOWN. 1 active and 0 backup servers left. 1 sessions active, 0 requeued, 0 remaining in queue.");
        }
    }

    @Test
    void failCheckCountsOneFailedCheckPerErrorLimit() throws Exception {
        try (FailoverSides sides = start("failcheck", """
              server a1 127.0.0.1:${dead} check port ${s1} inter 30s observe layer4 error-limit 1
              server b1 127.0.0.1:${s1}
            """)) {
            List<List<String>> seq = traffic(sides, "failcheck", 6);
            assertThat(seq.get(1)).isEqualTo(seq.get(0));
            assertThat(seq.get(0)).containsExactly("a1 503", "b1 200", "a1 503", "b1 200", "a1 503", "b1 200");
            List<String> lines = sameHealthLines(sides, "failcheck");
            assertThat(lines).hasSize(5);
            assertThat(lines.get(3)).endsWith("status: 0/2 DOWN.");
            assertThat(lines.get(4)).startsWith("Server failcheck/a1 is DOWN.");
        }
    }

    @Test
    void layer7CountsServerErrorsAsFailures() throws Exception {
        try (FailoverSides sides = start("l7", """
              server a1 127.0.0.1:${s2} check inter 30s observe layer7 error-limit 2 on-error mark-down
              server b1 127.0.0.1:${s1}
            """)) {
            List<List<String>> seq = traffic(sides, "l7", 5);
            assertThat(seq.get(1)).isEqualTo(seq.get(0));
            assertThat(seq.get(0)).containsExactly("a1 500", "b1 200", "a1 500", "b1 200", "b1 200");
            assertThat(sameHealthLines(sides, "l7")).containsExactly(
                    "Health check for server l7/a1 succeeded, reason: Layer4 check passed, check duration: Nms, status: 3/3 UP.",
                    "Health check for server l7/a1 failed, reason: Health analyze, info: \"Detected 2 consecutive errors, last one was: Wrong http response\", status: 0/2 DOWN.",
                    "Server l7/a1 is DOWN. 1 active and 0 backup servers left. 1 sessions active, 0 requeued, 0 remaining in queue.");
        }
    }
}
