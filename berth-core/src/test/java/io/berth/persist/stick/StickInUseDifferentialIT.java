package io.berth.persist.stick;

import io.berth.api.ApiCommands;
import io.berth.api.ApiContext;
import io.berth.api.CliLevel;
import io.berth.api.CliSession;
import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.RuntimeApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Entries in use (HAProxy's {@code ref_cnt}), against real HAProxy 2.6: a table of 2 entries whose keys are
 * tracked by open connections is full of entries nothing may purge, so a third client is served untracked; the
 * held entries outlive their {@code expire}; once the connections close their entries are released (use=0, fresh
 * expiry) and expire, and a new client is tracked again. {@code show table} (key, {@code use=} and counters; not the pointer or
 * {@code exp}) must read the same in both after every step.
 */
class StickInUseDifferentialIT {
    static final String CONFIG = """
            defaults
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe
                mode tcp
                bind 127.0.0.1:${p_fe}
                stick-table type ip size 2 expire 1500ms store conn_cur,conn_cnt
                tcp-request connection track-sc0 src
                default_backend be
            backend be
                mode tcp
                server s1 127.0.0.1:${s1}
            """;
    private static final String REQUEST = "GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";

    private static Backends backends;
    private static Haproxy haproxy;
    private static Path dir;
    private static final Map<String, String> HA = new HashMap<>();
    private static BerthInstance berth;

    @BeforeAll
    static void start() throws Exception {
        Haproxy.assumeInstalled();
        backends = Backends.start(1);
        backends.get("s1").respond(r -> Reply.ok("s1"));
        HA.putAll(backends.placeholders());
        HA.put("p_fe", Integer.toString(BerthInstance.freePort()));
        dir = Files.createTempDirectory("berth-inuse-it");
        String text = "global\n    stats socket " + dir.resolve("admin.sock") + " level admin\n"
                + BerthInstance.substitute(CONFIG, HA);
        // no port probe: it would be a tracked connection
        haproxy = Haproxy.start(text).awaitSocket(dir.resolve("admin.sock"));
        berth = BerthInstance.start(CONFIG, backends);
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (berth != null) {
            berth.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    /** The entry lines of a {@code show table} dump without the pointer and {@code exp=}, sorted by key. */
    static String entries(String dump) {
        List<String> out = new ArrayList<>();
        for (String line : dump.split("\n")) {
            if (line.startsWith("0x")) {
                out.add(line.replaceFirst("^0x[0-9a-f]+: ", "").replaceFirst(" exp=\\d+", ""));
            }
        }
        out.sort(null);
        return String.join("\n", out);
    }

    private static String haproxyTable() {
        return entries(RuntimeApi.cli(dir.resolve("admin.sock"), "show table fe"));
    }

    private static String berthTable() {
        ApiContext ctx = new ApiContext(berth.runtime(), Map.of());
        return entries(new CliSession(ApiCommands.registry(), ctx, CliLevel.ADMIN).onLine("show table fe"));
    }

    /** One request on a new connection from {@code source}: the status. */
    private static int ask(String source, int port) {
        try (RawClient c = new RawClient(source, port)) {
            c.timeout(3000);
            return c.send(REQUEST).readResponse().status();
        }
    }

    private static List<String> play(int port, java.util.function.Supplier<String> table) {
        List<String> seen = new ArrayList<>();
        Function<String, String> settle = expect -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> table.get().equals(expect));
            return table.get();
        };
        // two connections held open: tracked from the accept on, before any byte
        try (RawClient a = new RawClient("127.0.0.2", port);
             RawClient b = new RawClient("127.0.0.3", port)) {
            seen.add(settle.apply("""
                    key=127.0.0.2 use=1 conn_cnt=1 conn_cur=1
                    key=127.0.0.3 use=1 conn_cnt=1 conn_cur=1"""));
            // full of held entries: the third client is served, untracked
            seen.add("c " + ask("127.0.0.4", port));
            seen.add("after c: " + table.get());
            // past expire (a wait for time itself, nothing to poll for), held entries stay
            sleep(2000);
            seen.add("expired but held: " + table.get());
        }
        // released: conn_cur back to 0, use=0, a fresh expiry; then they expire and go, and a new client is tracked
        seen.add(settle.apply("""
                key=127.0.0.2 use=0 conn_cnt=1 conn_cur=0
                key=127.0.0.3 use=0 conn_cnt=1 conn_cur=0"""));
        seen.add("expired: '" + settle.apply("") + "'");
        try (RawClient d = new RawClient("127.0.0.5", port)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> table.get().contains("127.0.0.5"));
            seen.add("with d: " + table.get());
        }
        return seen;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void heldEntriesAreNeitherPurgedNorExpiredAsInHaproxy() {
        List<String> fromHaproxy = play(Integer.parseInt(HA.get("p_fe")), StickInUseDifferentialIT::haproxyTable);
        List<String> fromBerth = play(Integer.parseInt(berth.placeholder("p_fe")),
                StickInUseDifferentialIT::berthTable);
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        assertThat(fromHaproxy).contains("c 200", "expired: ''", "with d: key=127.0.0.5 use=1 conn_cnt=1 conn_cur=1");
    }
}
