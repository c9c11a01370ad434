package io.berth.health;

import io.berth.testkit.Backends;
import io.berth.testkit.RuntimeApi;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code slowstart} through real HAProxy 2.6 and Berth: a server leaving maintenance ramps its effective weight up
 * over the slowstart while its user weight stays whole. In its first second {@code show stat} prints weight
 * ceil(uweight / 16) and uweight unchanged, the backend's weight counts the ramped server at 1/16, {@code get
 * weight} prints the user weight, and a {@code set weight} during the ramp changes the user weight at once while
 * the ramp goes on over it. Berth used to ramp by rewriting the user weight, which {@code get weight} showed.
 */
class SlowStartDifferentialIT {
    private static SideBySide both;

    @BeforeAll
    static void start() {
        both = SideBySide.startChecked(SideBySide.HTTP_DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:${p_fe}
                    default_backend be
                backend be
                    server s1 127.0.0.1:${s1} weight 32 check inter 300ms slowstart 20s
                    server s2 127.0.0.1:${s2} weight 32 check inter 300ms
                """, Backends.start(2));
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /**
     * Takes s1 through maintenance and reads the weights in the ramp's first second (20 s slowstart: its first
     * step lasts a second, its second one still shows 5/16), then sets its weight to 16 and reads them again.
     */
    private static List<String> play(Function<String, String> cli) {
        List<String> seen = new ArrayList<>();
        // fully UP first (a server still in its first checks shows "UP 1/3" and leaves maintenance without a ramp)
        await().atMost(Duration.ofSeconds(5)).until(() -> fullyUp(cli));
        cli.apply("disable server be/s1");
        cli.apply("enable server be/s1");
        seen.addAll(weights(cli));
        seen.add(cli.apply("get weight be/s1").trim());
        cli.apply("set weight be/s1 16");
        seen.addAll(weights(cli));
        seen.add(cli.apply("get weight be/s1").trim());
        return seen;
    }

    /**
     * s1's, s2's and the backend's weight and uweight from {@code show stat} (not the status: s1 shows "UP 1/3"
     * until its next check, which may come between two commands on either side).
     */
    private static List<String> weights(Function<String, String> cli) {
        return RuntimeApi.statColumns(cli.apply("show stat"), List.of("weight", "uweight")).stream()
                .filter(r -> r.startsWith("be/")).toList();
    }

    private static boolean fullyUp(Function<String, String> cli) {
        return RuntimeApi.statColumns(cli.apply("show stat"), List.of("status")).containsAll(
                List.of("be/s1 status=UP", "be/s2 status=UP"));
    }

    @Test
    void theRampScalesTheEffectiveWeightAndLeavesTheUserWeight() {
        List<String> fromHaproxy = play(both::haproxyCli);
        List<String> fromBerth = play(both::berthCli);
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        assertThat(fromHaproxy).containsExactly(
                "be/s1 weight=2 uweight=32", "be/s2 weight=32 uweight=32", "be/BACKEND weight=34 uweight=64",
                "32 (initial 32)",
                "be/s1 weight=1 uweight=16", "be/s2 weight=32 uweight=32", "be/BACKEND weight=33 uweight=48",
                "16 (initial 32)");
    }
}
