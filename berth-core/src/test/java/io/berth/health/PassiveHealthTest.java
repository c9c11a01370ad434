package io.berth.health;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.CheckSpec;
import io.berth.model.ServerSpec;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.berth.health.HealthFixtures.group;
import static io.berth.health.HealthFixtures.server;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passive health and state-change server arguments: parsing (with default-server), HAProxy's messages for bad
 * values, the consecutive-error count and each {@code on-error} action on the health counter, the
 * {@code slowstart} ramp arithmetic; no sockets.
 */
class PassiveHealthTest {
    private static final String HEAD = """
            defaults
              mode http
              timeout connect 1s
              timeout client 1s
              timeout server 1s
            """;

    private static ConfigLoader.Result parse(String text) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", HEAD + text);
    }

    private static CheckSpec check(String text, String server) {
        ConfigLoader.Result r = parse(text);
        assertThat(r.texts()).isEmpty();
        return r.config().backends().get(0).servers().stream().filter(s -> s.name().equals(server)).findFirst()
                .orElseThrow().check();
    }

    @Test
    void argumentsParseIntoTheCheckSpecAndDefaultServerPassesThemOn() {
        String cfg = """
                backend be
                  default-server observe layer7 error-limit 4 on-error sudden-death slowstart 1500ms
                  server s1 127.0.0.1:80 check on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions
                  server s2 127.0.0.1:81 observe layer4 on-error mark-down error-limit 1 slowstart 10s
                  server s3 127.0.0.1:82 observe none
                """;
        CheckSpec s1 = check(cfg, "s1");
        assertThat(s1.observe()).isEqualTo(CheckSpec.Observe.LAYER7);
        assertThat(s1.errorLimit()).isEqualTo(4);
        assertThat(s1.onError()).isEqualTo(CheckSpec.OnError.SUDDEN_DEATH);
        assertThat(s1.slowstartMs()).isEqualTo(2000); // whole seconds, rounded up, as HAProxy keeps it
        assertThat(s1.shutdownSessionsOnDown()).isTrue();
        assertThat(s1.shutdownBackupSessionsOnUp()).isTrue();
        CheckSpec s2 = check(cfg, "s2");
        assertThat(List.<Object>of(s2.observe(), s2.onError(), s2.errorLimit(), s2.slowstartMs(),
                s2.shutdownSessionsOnDown()))
                .containsExactly(CheckSpec.Observe.LAYER4, CheckSpec.OnError.MARK_DOWN, 1, 10_000L, false);
        assertThat(check(cfg, "s3").observe()).isEqualTo(CheckSpec.Observe.NONE);
        CheckSpec plain = check("backend b\n  server s 127.0.0.1:80\n", "s");
        assertThat(List.<Object>of(plain.observe(), plain.errorLimit(), plain.onError(), plain.slowstartMs()))
                .containsExactly(CheckSpec.Observe.NONE, 10, CheckSpec.OnError.FAIL_CHECK, 0L);
    }

    @Test
    void badValuesAreRefusedWithHaproxysWording() {
        assertThat(parse("backend be\n  server s1 127.0.0.1:80 observe layer5\n").texts()).singleElement()
                .asString().contains("'observe' expects one of 'none', 'layer4', 'layer7' but got 'layer5'");
        assertThat(parse("backend be\n  server s1 127.0.0.1:80 error-limit 0\n").texts()).singleElement()
                .asString().contains("error-limit has to be > 0.");
        assertThat(parse("backend be\n  server s1 127.0.0.1:80 on-error reboot\n").texts()).singleElement()
                .asString().contains("'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death' or"
                        + " 'mark-down' but got 'reboot'");
        assertThat(parse("backend be\n  server s1 127.0.0.1:80 on-marked-down kill\n").texts()).singleElement()
                .asString().contains("'on-marked-down' expects 'shutdown-sessions' but got 'kill'");
        assertThat(parse("backend be\n  server s1 127.0.0.1:80 on-marked-up kill\n").texts()).singleElement()
                .asString().contains("'on-marked-up' expects 'shutdown-backup-sessions' but got 'kill'");
        assertThat(parse("backend be\n  mode tcp\n  server s1 127.0.0.1:80 observe layer7\n").texts())
                .singleElement().asString().contains("'layer7' can only be used in http proxies.");
    }

    private static ServerHealth health(CheckSpec.OnError onError, int errorLimit, HealthFixtures.Events events) {
        CheckSpec spec = new CheckSpec(true, 2000, 500, 3000, 2, 3, 0, null, CheckSpec.Observe.LAYER4, errorLimit,
                onError, false, false, 0);
        ServerGroup g = group("be", List.<ServerSpec>of(server("s1", 1, spec), server("s2", 2, CheckSpec.NONE)));
        return new ServerHealth(g.byName("s1"), events, new HealthOptions(true, "backend"));
    }

    private static final CheckOutcome OK = new CheckOutcome(CheckStatus.L4OK, 0, "", 0);

    @Test
    void errorsCountOnlyWhenConsecutiveAndOnlyUnderTheirLayer() {
        ServerHealth h = health(CheckSpec.OnError.FAIL_CHECK, 3, new HealthFixtures.Events());
        assertThat(h.count(Observation.L4_ERR)).isFalse();
        assertThat(h.count(Observation.L4_ERR)).isFalse();
        assertThat(h.count(Observation.L4_OK)).isFalse(); // success clears the count
        assertThat(h.count(Observation.L4_ERR)).isFalse();
        assertThat(h.count(Observation.HTTP_STS)).isFalse(); // layer7 events are ignored under layer4
        assertThat(h.count(Observation.L4_ERR)).isFalse();
        assertThat(h.count(Observation.L4_ERR)).isTrue(); // third in a row
        assertThat(h.count(Observation.L4_ERR)).isFalse(); // count starts again
        assertThat(Observation.ofStatus(404)).isEqualTo(Observation.HTTP_OK);
        assertThat(Observation.ofStatus(501)).isEqualTo(Observation.HTTP_OK);
        assertThat(Observation.ofStatus(502)).isEqualTo(Observation.HTTP_STS);
        assertThat(Observation.HTTP_STS.kind(CheckSpec.Observe.LAYER7)).isEqualTo(Observation.Kind.ERROR);
        assertThat(Observation.L4_OK.kind(CheckSpec.Observe.LAYER7)).isEqualTo(Observation.Kind.IGNORED);
    }

    @Test
    void eachOnErrorActionMovesTheCounterAsHaproxy() {
        // rise 2 fall 3, fully UP is h = 4 after one passed check
        HealthFixtures.Events events = new HealthFixtures.Events();
        ServerHealth fastinter = health(CheckSpec.OnError.FASTINTER, 1, events);
        fastinter.apply(OK);
        fastinter.analyze(Observation.L4_ERR, 0);
        assertThat(fastinter.health()).isEqualTo(4);
        assertThat(fastinter.nextInterval()).isEqualTo(500); // fastinter until the next check starts
        fastinter.started();
        assertThat(fastinter.nextInterval()).isEqualTo(2000);

        ServerHealth failCheck = health(CheckSpec.OnError.FAIL_CHECK, 1, events);
        failCheck.apply(OK);
        failCheck.analyze(Observation.L4_ERR, 0);
        assertThat(failCheck.health()).isEqualTo(3);

        ServerHealth sudden = health(CheckSpec.OnError.SUDDEN_DEATH, 1, events);
        sudden.apply(OK);
        sudden.analyze(Observation.L4_ERR, 0);
        assertThat(sudden.health()).isEqualTo(2); // rise+1, then one failure: UP 1/3
        assertThat(sudden.isDown()).isFalse();
        sudden.analyze(Observation.L4_ERR, 0);
        assertThat(sudden.isDown()).isTrue();

        events.lines.clear();
        ServerHealth markDown = health(CheckSpec.OnError.MARK_DOWN, 1, events);
        markDown.apply(OK);
        events.lines.clear();
        markDown.analyze(Observation.HTTP_READ_TIMEOUT, 2);
        assertThat(markDown.isDown()).isTrue();
        assertThat(events.lines).containsExactly(
                "notice|Health check for server be/s1 failed, reason: Health analyze, info: \"Detected 1 consecutive errors, last one was: Read timeout (http)\", status: 0/2 DOWN.",
                "alert|Server be/s1 is DOWN. 1 active and 0 backup servers left. 2 sessions active, 0 requeued, 0 remaining in queue.");
        assertThat(markDown.nextInterval()).isEqualTo(3000); // DOWN: downinter wins over the forced fastinter
    }

    @Test
    void slowstartRampFollowsHaproxysSixteenths() {
        // S = 4 s, uweight 32: w = (16e + 4) / 4 → 1, 5, 9, 13, 16 sixteenths → weights 2, 10, 18, 26, 32
        assertThat(List.of(SlowStart.weightAt(32, 0, 4), SlowStart.weightAt(32, 1, 4), SlowStart.weightAt(32, 2, 4),
                SlowStart.weightAt(32, 3, 4), SlowStart.weightAt(32, 4, 4))).containsExactly(2, 10, 18, 26, 32);
        // S = 10 s, uweight 100: e = 0 → w 1 → ceil(100/16) = 7; e = 5 → w 9 → ceil(900/16) = 57
        assertThat(SlowStart.weightAt(100, 0, 10)).isEqualTo(7);
        assertThat(SlowStart.weightAt(100, 5, 10)).isEqualTo(57);
        assertThat(SlowStart.weightAt(1, 0, 10)).isEqualTo(1); // never 0 while UP
        assertThat(SlowStart.sixteenths(3, 3)).isEqualTo(16);
    }
}
