package io.berth.health;

import io.berth.model.BackendSpec;
import io.berth.model.HttpCheckSpec;
import io.berth.model.ServerSpec;
import io.berth.model.TimeoutsSpec;
import io.berth.server.ServerGroup;
import io.berth.server.ServerState;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.berth.health.HealthFixtures.backend;
import static io.berth.health.HealthFixtures.check;
import static io.berth.health.HealthFixtures.group;
import static io.berth.health.HealthFixtures.httpchk;
import static io.berth.health.HealthFixtures.server;
import static io.berth.health.HealthFixtures.timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real probes against servers on 127.0.0.1: TCP and HTTP checks, expect forms, counting, timing, wording. */
class HealthChecksIT {
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HealthFixtures.Events events = new HealthFixtures.Events();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    private CheckTarget target() throws Exception {
        CheckTarget t = new CheckTarget();
        closing.add(t);
        return t;
    }

    private HealthChecks start(BackendSpec be, ServerGroup g, boolean logChecks) {
        HealthChecks hc = HealthChecks.start(be, g, loops, events, new HealthOptions(logChecks, "backend"));
        closing.add(hc::stop);
        return hc;
    }

    private static List<String> masked(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("check duration: \\d+ms", "check duration: Nms")).toList();
    }

    @Test
    void tcpCheckAgainstOpenAndClosedPort() throws Exception {
        CheckTarget open = target();
        List<ServerSpec> specs = List.of(server("s1", open.port(), check(100, 100, 100, 2, 3)),
                server("s2", CheckTarget.closedPort(), check(100, 100, 100, 2, 3)));
        ServerGroup g = group("be", specs);
        HealthChecks hc = start(backend("be", specs, null, TimeoutsSpec.NONE), g, false);

        await().atMost(Duration.ofSeconds(5)).until(() -> g.byName("s2").state() == ServerState.DOWN);
        await().atMost(Duration.ofSeconds(5)).until(() -> hc.state("s1").orElseThrow().health() == 4);
        assertThat(masked(events.messages())).containsExactly(
                "Server be/s2 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: Nms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.");
        assertThat(events.lines.get(0)).startsWith("alert|");
        CheckState s1 = hc.state("s1").orElseThrow();
        assertThat(s1.status()).isEqualTo(CheckStatus.L4OK);
        assertThat(s1.statusText()).isEqualTo("UP");
        assertThat(hc.state("s2").orElseThrow().status()).isEqualTo(CheckStatus.L4CON);
        assertThat(open.requests).allMatch(String::isEmpty);
    }

    /** Each expect form against the same 200 answer; the first check's status and info as HAProxy 2.6 gave them. */
    @Test
    void httpExpectForms() throws Exception {
        String[][] cases = {
                {"status 200", "L7OKD", ""},
                {"! status 200", "L7STS", "OK"},
                {"rstatus ^5", "L7STS", "OK"},
                {"rstatus ^2", "L7OKD", ""},
                {"string healthy", "L7OKD", ""},
                {"string nothere", "L7RSP", "HTTP content check did not match"},
                {"! string healthy", "L7RSP", "HTTP check matched unwanted content"},
                {"rstring ^nope", "L7RSP", "HTTP content check did not match"},
                {"rstring ^heal", "L7OKD", ""},
                {"hdr name x-health value bad", "L7STS", "OK"},
                {"hdr name x-health value fine", "L7OKD", ""},
        };
        CheckTarget t = target();
        for (String[] c : cases) {
            List<ServerSpec> specs = List.of(server("s1", t.port(), check(2000, 2000, 2000, 2, 3)));
            ServerGroup g = group("be", specs);
            HttpCheckSpec http = httpchk(List.of(Arrays.asList(c[0].split(" "))));
            HealthChecks hc = start(backend("be", specs, http, TimeoutsSpec.NONE), g, false);
            await().atMost(Duration.ofSeconds(5)).until(() -> hc.state("s1").orElseThrow().durationMs() >= 0);
            hc.stop();
            CheckState st = hc.state("s1").orElseThrow();
            assertThat(st.status().name()).as(c[0]).isEqualTo(c[1]);
            assertThat(st.info()).as(c[0]).isEqualTo(c[2]);
            assertThat(st.code()).as(c[0]).isEqualTo(200);
            assertThat(g.byName("s1").state()).as(c[0])
                    .isEqualTo(c[1].equals("L7OKD") ? ServerState.UP : ServerState.DOWN);
        }
        assertThat(t.requests).allMatch(r -> r.equals("GET /health HTTP/1.0\r\n\r\n"));
    }

    @Test
    void riseFallCountingWithLogHealthChecksWording() throws Exception {
        CheckTarget t = target();
        List<ServerSpec> specs = List.of(server("f1", t.port(), check(50, 50, 50, 2, 3)),
                server("f2", CheckTarget.closedPort(), new io.berth.model.CheckSpec(false, 2000, 2000, 2000, 2, 3, 0, null)));
        ServerGroup g = group("flap", specs);
        HealthChecks hc = start(backend("flap", specs, httpchk(List.of()), TimeoutsSpec.NONE), g, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> hc.state("f1").orElseThrow().health() == 4);
        t.respond = CheckTarget.UNAVAILABLE;
        await().atMost(Duration.ofSeconds(5)).until(() -> g.byName("f1").state() == ServerState.DOWN);
        t.respond = CheckTarget.OK;
        await().atMost(Duration.ofSeconds(5)).until(() -> g.byName("f1").state() == ServerState.UP);
        assertThat(masked(events.messages())).containsExactly(
                "Health check for server flap/f1 succeeded, reason: Layer7 check passed, code: 200, check duration: Nms, status: 3/3 UP.",
                "Health check for server flap/f1 failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: Nms, status: 2/3 UP.",
                "Health check for server flap/f1 failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: Nms, status: 1/3 UP.",
                "Health check for server flap/f1 failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: Nms, status: 0/2 DOWN.",
                "Server flap/f1 is DOWN. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                "Health check for server flap/f1 succeeded, reason: Layer7 check passed, code: 200, check duration: Nms, status: 1/2 DOWN.",
                "Health check for server flap/f1 succeeded, reason: Layer7 check passed, code: 200, check duration: Nms, status: 3/3 UP.",
                "Server flap/f1 is UP. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.");
    }

    @Test
    void startupSingleFailureMarksDown() throws Exception {
        CheckTarget t = target();
        t.respond = CheckTarget.UNAVAILABLE;
        List<ServerSpec> specs = List.of(server("s1", t.port(), check(2000, 2000, 2000, 2, 3)));
        ServerGroup g = group("be", specs);
        HealthChecks hc = start(backend("be", specs, httpchk(List.of()), TimeoutsSpec.NONE), g, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> g.byName("s1").state() == ServerState.DOWN);
        assertThat(t.arrivalsNanos).hasSize(1);
        assertThat(masked(events.lines)).containsExactly(
                "alert|Server be/s1 is DOWN, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: Nms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                "emerg|backend be has no server available!");
        assertThat(hc.state("s1").orElseThrow().statusText()).isEqualTo("DOWN");
    }

    @Test
    void interFastinterDowninterTiming() throws Exception {
        CheckTarget t = target();
        List<ServerSpec> specs = List.of(server("s1", t.port(), check(200, 50, 400, 2, 3)));
        ServerGroup g = group("be", specs);
        HealthChecks hc = start(backend("be", specs, httpchk(List.of()), TimeoutsSpec.NONE), g, false);
        // UP at the top: inter (200 ms).
        await().atMost(Duration.ofSeconds(5)).until(() -> t.arrivalsNanos.size() >= 5);
        List<Long> up = t.gapsMs(2);
        // Failing: h 4 → 3 → 2 → 0; gaps after the first failure are fastinter (50 ms).
        int before = t.arrivalsNanos.size();
        t.respond = CheckTarget.UNAVAILABLE;
        await().atMost(Duration.ofSeconds(5)).until(() -> g.byName("s1").state() == ServerState.DOWN);
        int downAt = t.arrivalsNanos.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.arrivalsNanos.size() >= downAt + 3);
        List<Long> all = t.gapsMs(1);
        // gaps index i = arrival i+1 minus arrival i: the two checks after the first failure came fastinter apart.
        List<Long> fast = all.subList(before, downAt - 1);
        List<Long> down = all.subList(downAt - 1, downAt + 1);
        assertThat(up).allMatch(ms -> ms >= 180 && ms < 600, "inter 200: " + up);
        assertThat(fast).hasSize(2).allMatch(ms -> ms >= 40 && ms < 180, "fastinter 50: " + fast);
        assertThat(down).allMatch(ms -> ms >= 380 && ms < 900, "downinter 400: " + down);
        assertThat(hc.state("s1").orElseThrow().statusText()).isEqualTo("DOWN");
    }

    @Test
    void layer4TimeoutWhenTheAcceptQueueIsFull() throws Exception {
        // A listener that never accepts, its queue filled: further SYNs are dropped, connect never completes.
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closing.add(full);
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket();
            closing.add(s);
            try {
                s.connect(full.getLocalSocketAddress(), 200);
            } catch (java.io.IOException expected) {
                break;
            }
        }
        List<ServerSpec> specs = List.of(server("s1", full.getLocalPort(), check(300, 300, 300, 2, 3)));
        ServerGroup g = group("be", specs);
        HealthChecks hc = start(backend("be", specs, null, TimeoutsSpec.NONE), g, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> g.byName("s1").state() == ServerState.DOWN);
        CheckState st = hc.state("s1").orElseThrow();
        assertThat(st.status()).isEqualTo(CheckStatus.L4TOUT);
        assertThat(st.durationMs()).isBetween(300L, 600L);
        assertThat(masked(events.messages()).get(0)).isEqualTo(
                "Server be/s1 is DOWN, reason: Layer4 timeout, check duration: Nms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.");
    }

    @Test
    void timeoutCheckExtendsTheReadBeyondTheConnectDeadline() throws Exception {
        CheckTarget t = target();
        t.respond = CheckTarget.SILENT;
        // Deadline model fitted to HAProxy 2.6 (CheckProbe): max(min(inter, connect), connected + timeout check) = ~600 ms.
        List<ServerSpec> specs = List.of(server("s1", t.port(), check(2000, 2000, 2000, 2, 3)));
        ServerGroup g = group("be", specs);
        HealthChecks hc = start(backend("be", specs, httpchk(List.of()), timeouts(200, 600)), g, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> g.byName("s1").state() == ServerState.DOWN);
        CheckState st = hc.state("s1").orElseThrow();
        assertThat(st.status()).isEqualTo(CheckStatus.L7TOUT);
        assertThat(st.durationMs()).isBetween(600L, 900L);
    }

    @Test
    void closedWithoutAnswerIsInvalidResponse() throws Exception {
        CheckTarget t = target();
        t.respond = null;
        List<ServerSpec> specs = List.of(server("s1", t.port(), check(2000, 2000, 2000, 2, 3)));
        ServerGroup g = group("be", specs);
        start(backend("be", specs, httpchk(List.of()), TimeoutsSpec.NONE), g, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.lines.size() >= 2);
        assertThat(masked(events.messages()).get(0)).isEqualTo(
                "Health check for server be/s1 failed, reason: Layer7 invalid response, check duration: Nms, status: 0/2 DOWN.");
    }
}
