package io.berth.health;

import io.berth.model.ServerSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;
import io.berth.server.ServerState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.berth.health.HealthFixtures.check;
import static io.berth.health.HealthFixtures.group;
import static io.berth.health.HealthFixtures.server;
import static org.assertj.core.api.Assertions.assertThat;

/** The h counter, UP/DOWN transitions, intervals, status strings and log wording, without sockets. */
class ServerHealthTest {
    private static final CheckOutcome OK200 = new CheckOutcome(CheckStatus.L7OKD, 200, "", 1);
    private static final CheckOutcome STS503 = new CheckOutcome(CheckStatus.L7STS, 503, "Service Unavailable", 1);
    private static final CheckOutcome REFUSED = new CheckOutcome(CheckStatus.L4CON, 0, "Connection refused", 0);

    private final HealthFixtures.Events events = new HealthFixtures.Events();

    private ServerHealth health(ServerGroup g, String name, boolean logChecks) {
        return new ServerHealth(g.byName(name), events, new HealthOptions(logChecks, "backend"));
    }

    @Test
    void flapSequenceMatchesHaproxyLogWithLogHealthChecks() {
        // Reference §4, real HAProxy 2.6 log for backend flap (rise 2 fall 3), second server keeps it non-empty.
        ServerGroup g = group("flap", List.of(server("f1", 1, check(2000, 2000, 2000, 2, 3)),
                server("f2", 2, check(2000, 2000, 2000, 2, 3))));
        ServerHealth h = health(g, "f1", true);
        h.apply(OK200);  // h 2 → 4
        events.lines.clear();
        h.apply(STS503); // 4 → 3
        h.apply(STS503); // 3 → 2
        h.apply(STS503); // 2 → 0: DOWN
        h.apply(OK200);  // 0 → 1
        h.apply(OK200);  // 1 → 4: UP
        assertThat(events.lines).containsExactly(
                "notice|Health check for server flap/f1 failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: 1ms, status: 2/3 UP.",
                "notice|Health check for server flap/f1 failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: 1ms, status: 1/3 UP.",
                "notice|Health check for server flap/f1 failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: 1ms, status: 0/2 DOWN.",
                "alert|Server flap/f1 is DOWN. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                "notice|Health check for server flap/f1 succeeded, reason: Layer7 check passed, code: 200, check duration: 1ms, status: 1/2 DOWN.",
                "notice|Health check for server flap/f1 succeeded, reason: Layer7 check passed, code: 200, check duration: 1ms, status: 3/3 UP.",
                "notice|Server flap/f1 is UP. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.");
    }

    @Test
    void withoutLogHealthChecksOnlyStateChangesAreLoggedWithTheirReason() {
        ServerGroup g = group("be", List.of(server("s1", 1, check(2000, 2000, 2000, 2, 3)),
                server("s2", 2, check(2000, 2000, 2000, 2, 3))));
        ServerHealth h = health(g, "s1", false);
        h.apply(REFUSED);
        h.apply(new CheckOutcome(CheckStatus.L7OKD, 200, "", 1));
        h.apply(new CheckOutcome(CheckStatus.L7OKD, 200, "", 1));
        assertThat(events.lines).containsExactly(
                "alert|Server be/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                "notice|Server be/s1 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.");
    }

    @Test
    void firstFailureAtStartupMarksDownAndLastServerGoneLogsNoServerAvailable() {
        ServerGroup g = group("chk_new", List.of(server("n1", 1, check(2000, 2000, 2000, 2, 3))));
        ServerHealth h = health(g, "n1", true);
        assertThat(h.health()).isEqualTo(2);
        assertThat(h.snapshot().statusText()).isEqualTo("UP 1/3");
        h.apply(REFUSED);
        assertThat(g.byName("n1").state()).isEqualTo(ServerState.DOWN);
        assertThat(events.lines).containsExactly(
                "notice|Health check for server chk_new/n1 failed, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms, status: 0/2 DOWN.",
                "alert|Server chk_new/n1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                "emerg|backend chk_new has no server available!");
    }

    @Test
    void downAfterExactlyFallFailuresAndUpAfterExactlyRiseSuccesses() {
        ServerGroup g = group("be", List.of(server("s1", 1, check(2000, 2000, 2000, 3, 4))));
        ServerHealth h = health(g, "s1", false);
        Server s = g.byName("s1");
        h.apply(OK200); // h 3 → 6 (top)
        for (int i = 1; i < 4; i++) {
            h.apply(STS503);
            assertThat(s.state()).as("after %d failures", i).isEqualTo(ServerState.UP);
        }
        h.apply(STS503);
        assertThat(s.state()).isEqualTo(ServerState.DOWN);
        for (int i = 1; i < 3; i++) {
            h.apply(OK200);
            assertThat(s.state()).as("after %d successes", i).isEqualTo(ServerState.DOWN);
            assertThat(h.snapshot().statusText()).isEqualTo("DOWN " + i + "/3");
        }
        h.apply(OK200);
        assertThat(s.state()).isEqualTo(ServerState.UP);
        assertThat(h.health()).isEqualTo(6);
    }

    @Test
    void statusTextFollowsShowStat() {
        ServerGroup g = group("be", List.of(server("s1", 1, check(2000, 2000, 2000, 2, 3))));
        ServerHealth h = health(g, "s1", false);
        h.apply(OK200);
        assertThat(h.snapshot().statusText()).isEqualTo("UP");
        h.apply(STS503);
        assertThat(h.snapshot().statusText()).isEqualTo("UP 2/3");
        h.apply(STS503);
        assertThat(h.snapshot().statusText()).isEqualTo("UP 1/3");
        h.apply(STS503);
        assertThat(h.snapshot().statusText()).isEqualTo("DOWN");
        h.apply(OK200);
        assertThat(h.snapshot().statusText()).isEqualTo("DOWN 1/2");
        h.apply(OK200);
        assertThat(h.snapshot()).extracting(CheckState::statusText, CheckState::health, CheckState::status,
                CheckState::code, CheckState::checkStatusField).containsExactly("UP", 4, CheckStatus.L7OKD, 200, "L7OK");
        assertThat(h.snapshot().status().code()).isEqualTo(15);
        assertThat(h.snapshot().result().code()).isEqualTo(3);
    }

    @Test
    void intervalIsInterAtEitherEndFastinterInTransitionDowninterWhenDown() {
        ServerGroup g = group("be", List.of(server("s1", 1, check(200, 50, 400, 2, 3))));
        ServerHealth h = health(g, "s1", false);
        assertThat(h.nextInterval()).as("startup h = rise is a transition").isEqualTo(50);
        h.apply(OK200);
        assertThat(h.nextInterval()).isEqualTo(200);
        h.apply(STS503);
        assertThat(h.nextInterval()).isEqualTo(50);
        h.apply(STS503);
        h.apply(STS503);
        assertThat(h.nextInterval()).isEqualTo(400);
        h.apply(OK200);
        assertThat(h.nextInterval()).isEqualTo(50);
    }

    @Test
    void disabledServerIsPausedAndNotAffectedByChecks() {
        ServerSpec spec = server("s1", 1, check(2000, 2000, 2000, 2, 3), false, true);
        ServerGroup g = group("be", List.of(spec));
        ServerHealth h = health(g, "s1", true);
        assertThat(h.isPaused()).isTrue();
        assertThat(h.snapshot().statusText()).isEqualTo("MAINT");
        h.apply(OK200);
        assertThat(h.health()).isZero();
        assertThat(events.lines).isEmpty();
        g.byName("s1").setAdminMaint(false);
        assertThat(h.syncMaintenance()).isTrue();
        assertThat(h.health()).isEqualTo(2);
        assertThat(g.byName("s1").state()).isEqualTo(ServerState.UP);
    }

    /**
     * {@code disable server} right followed by {@code enable server}: the checks hear of both changes only after
     * the second, yet the maintenance happened: the health restarts from rise (HAProxy's "start OK but check
     * immediately") and the slowstart ramp starts, on a user weight left alone.
     */
    @Test
    void aMaintenanceThatCameAndWentBetweenTwoLooksStillResetsTheHealthAndStartsTheRamp() {
        ServerSpec spec = server("s1", 1, check(2000, 2000, 2000, 2, 3));
        ServerGroup g = group("be", List.of(spec));
        ServerHealth h = health(g, "s1", true);
        Server s1 = g.byName("s1");
        io.netty.channel.DefaultEventLoop loop = new io.netty.channel.DefaultEventLoop();
        try {
            h.slowStart(new SlowStart(loop, s1, 10_000));
            h.apply(OK200);
            assertThat(h.health()).isEqualTo(4);
            s1.setAdminMaint(true);
            s1.setAdminMaint(false);
            assertThat(h.syncMaintenance()).isTrue();
            assertThat(h.health()).isEqualTo(2);
            assertThat(h.snapshot().statusText()).isEqualTo("UP 1/3");
            assertThat(s1.rampSixteenths()).isEqualTo(1);
            assertThat(s1.weight()).isEqualTo(1);
            assertThat(h.syncMaintenance()).isFalse();
        } finally {
            loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void backupServerWordingAndRunningOnBackup() {
        ServerGroup g = group("be", List.of(server("a", 1, check(2000, 2000, 2000, 2, 3)),
                server("b", 2, check(2000, 2000, 2000, 2, 3), true, false)));
        ServerHealth a = health(g, "a", false);
        ServerHealth b = health(g, "b", true);
        a.apply(REFUSED);
        b.apply(STS503);
        assertThat(events.lines).containsExactly(
                "alert|Server be/a is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 0 active and 1 backup servers left. Running on backup. 0 sessions active, 0 requeued, 0 remaining in queue.",
                "notice|Health check for backup server be/b failed, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: 1ms, status: 0/2 DOWN.",
                "alert|Backup Server be/b is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                "emerg|backend be has no server available!");
    }

    @Test
    void infoIsAsciiEncodedLikeHaproxy() {
        StringBuilder sb = new StringBuilder();
        HealthMessages.asciiEncode(sb, "a\"b<c>\td");
        assertThat(sb.toString()).isEqualTo("a<22>b<3C>c<3E><09>d");
    }
}
