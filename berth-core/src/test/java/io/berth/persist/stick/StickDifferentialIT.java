package io.berth.persist.stick;

import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.SideBySide;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Differential test: real HAProxy 2.6 and Berth run the same configuration ({@code stick on src} in a size-4
 * table that fills, evicts and expires; {@code stick on hdr(x-tenant-id)}; {@code stick on src} in TCP mode; a
 * full size-4 table that refuses new clients; an entry naming a server in maintenance; entries held by tracking
 * connections)
 * against the same two backends, each answering its own name; the same sequence of clients (sources bound to
 * 127.0.0.x) must reach the same servers on both.
 */
class StickDifferentialIT {
    private static final String CONFIG = """
            defaults
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            listen st_src
                mode http
                bind 127.0.0.1:${p_src}
                balance roundrobin
                stick-table type ip size 4 expire 1500ms
                stick on src
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            listen st_hdr
                mode http
                bind 127.0.0.1:${p_hdr}
                balance roundrobin
                stick-table type string len 64 size 50k expire 1h
                stick on hdr(x-tenant-id)
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            listen st_rand
                mode http
                bind 127.0.0.1:${p_rand}
                balance roundrobin
                stick-table type ip size 4 expire 1h
                stick on src
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            listen st_down
                mode http
                bind 127.0.0.1:${p_down}
                balance roundrobin
                stick-table type ip size 100 expire 1h store server_id
                stick on src
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            frontend fe_held
                mode tcp
                bind 127.0.0.1:${p_held}
                stick-table type ip size 2 expire 1500ms store conn_cur,conn_cnt
                tcp-request connection track-sc0 src
                default_backend be_held
            backend be_held
                mode tcp
                server s1 127.0.0.1:${s1}
            listen st_tcp
                mode tcp
                bind 127.0.0.1:${p_tcp}
                balance roundrobin
                stick-table type ip size 100 expire 1h
                stick on src
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
            """;

    private static SideBySide both;

    @BeforeAll
    static void start() {
        Backends backends = Backends.start(2);
        backends.get("s1").respond(Reply.ok("s1"));
        backends.get("s2").respond(Reply.ok("s2"));
        both = SideBySide.start(CONFIG, backends);
    }

    @AfterAll
    static void stop() {
        if (both != null) {
            both.close();
        }
    }

    /** One HTTP request from {@code source}; returns the body (the server's name). */
    private static String http(int port, String source, String tenant) throws IOException {
        try (RawClient c = new RawClient(source, port)) {
            c.send("GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n"
                    + (tenant == null ? "" : "x-tenant-id: " + tenant + "\r\n") + "\r\n");
            String all = c.readAll();
            return all.substring(all.indexOf("\r\n\r\n") + 4).trim();
        }
    }

    /** One TCP connection carrying an HTTP request (the backends speak HTTP); returns the server's name. */
    private static String tcp(int port, String source) throws IOException {
        return http(port, source, null);
    }

    private static List<String> run(ToIntFunction<String> ports, List<String> steps) throws Exception {
        return run(ports, steps, command -> {
            throw new IllegalStateException("no runtime API here: " + command);
        });
    }

    /** Plays {@code steps}: requests ("PORT SOURCE"), "wait", or "cli COMMAND" on the proxy's runtime API. */
    private static List<String> run(ToIntFunction<String> ports, List<String> steps,
                                    java.util.function.UnaryOperator<String> cli) throws Exception {
        List<String> out = new ArrayList<>();
        for (String step : steps) {
            if (step.startsWith("cli ")) {
                out.add(step + " -> " + cli.apply(step.substring(4)).trim());
                continue;
            }
            if (step.equals("wait")) {
                // let the 1500 ms entries of st_src expire on both sides
                await().pollDelay(Duration.ofMillis(1800)).atMost(Duration.ofSeconds(3)).until(() -> true);
                continue;
            }
            // HAProxy orders entries by expiry in whole milliseconds: requests inside the same millisecond tie and
            // its eviction order among them is not defined, so keep the clients a few milliseconds apart
            await().pollDelay(Duration.ofMillis(4)).until(() -> true);
            String[] f = step.split(" ");
            int port = ports.applyAsInt(f[0]);
            String got = switch (f[0]) {
                case "p_hdr" -> http(port, "127.0.0.1", f[1]);
                case "p_tcp" -> tcp(port, f[1]);
                default -> http(port, f[1], null);
            };
            out.add(step + " -> " + got);
        }
        return out;
    }

    @Test
    void sameServersAsHaproxyForTheSameClients() throws Exception {
        List<String> steps = new ArrayList<>();
        // fill the size-4 table, re-use, overflow (eviction), come back after eviction
        for (String ip : List.of("2", "3", "4", "5", "2", "6", "7", "3", "2", "8", "4", "5", "6")) {
            steps.add("p_src 127.0.0." + ip);
        }
        for (String t : List.of("alice", "bob", "carol", "alice", "dave", "bob", "carol", "erin", "alice")) {
            steps.add("p_hdr " + t);
        }
        for (String ip : List.of("11", "12", "13", "11", "12", "14", "13")) {
            steps.add("p_tcp 127.0.0." + ip);
        }
        steps.add("wait");
        for (String ip : List.of("2", "3", "4", "2", "3")) {
            steps.add("p_src 127.0.0." + ip);
        }
        List<String> fromHaproxy = run(both::haproxyPort, steps);
        List<String> fromBerth = run(both::berthPort, steps);
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        // the sequence must exercise stickiness: the tenant "alice" keeps her first server
        assertThat(fromHaproxy.stream().filter(s -> s.startsWith("p_hdr alice")).map(s -> s.substring(s.length() - 2))
                .distinct().count()).isEqualTo(1);
    }

    /**
     * A full table of 4 with 8 clients coming back at random: HAProxy's purge gives entries touched since they
     * were queued a second chance and visits at most 2 entries per new key, so it often refuses to store a new
     * client, who then goes round-robin again; Berth must refuse (and purge) exactly the same ones.
     */
    @Test
    void sameServersWhenAFullTableRefusesNewClients() throws Exception {
        // whether an entry counts as touched since queued depends on its response coming in a later millisecond
        // than its request: make that always so, on both sides
        both.backends().get("s1").respond(Reply.ok("s1").delayed(3));
        both.backends().get("s2").respond(Reply.ok("s2").delayed(3));
        List<String> steps = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            steps.add("p_rand 127.0.0." + (2 + random.nextInt(8)));
        }
        List<String> fromHaproxy = run(both::haproxyPort, steps);
        List<String> fromBerth = run(both::berthPort, steps);
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
    }

    /** HAProxy's {@code show table} lines without the entry address and {@code exp}. */
    private static String entries(String dump) {
        return dump.lines().filter(l -> l.startsWith("0x"))
                .map(l -> l.replaceFirst("^0x[0-9a-f]+: ", "").replaceFirst(" exp=\\d+", ""))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /**
     * An entry naming a server in maintenance: the client is balanced to another server as HAProxy does (no 503,
     * no {@code option redispatch} needed), the entry is updated to the server used, and the client stays there
     * once the first server is back.
     */
    @Test
    void entryOfAServerInMaintenanceIsRebalancedAndUpdated() throws Exception {
        List<String> steps = new ArrayList<>();
        for (String ip : List.of("2", "3", "4")) {
            steps.add("p_down 127.0.0." + ip);
        }
        steps.add("cli disable server st_down/s1");
        for (String ip : List.of("2", "3", "4")) {
            steps.add("p_down 127.0.0." + ip);
        }
        steps.add("cli enable server st_down/s1");
        for (String ip : List.of("2", "3", "4", "5")) {
            steps.add("p_down 127.0.0." + ip);
        }
        steps.add("cli show table st_down");
        List<String> fromHaproxy = run(both::haproxyPort, steps, c -> entriesOf(c, both.haproxyCli(c)));
        List<String> fromBerth = run(both::berthPort, steps, c -> entriesOf(c, both.berthCli(c)));
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        // HAProxy 2.6: 127.0.0.4 was on s1, rebalanced to s2 in maintenance, and stays there
        assertThat(fromHaproxy).containsSubsequence("p_down 127.0.0.4 -> s1", "p_down 127.0.0.4 -> s2",
                "cli enable server st_down/s1 -> ", "p_down 127.0.0.4 -> s2");
        assertThat(fromHaproxy).contains("cli show table st_down -> key=127.0.0.2 use=0 server_id=2 server_key=s2;"
                + " key=127.0.0.3 use=0 server_id=2 server_key=s2; key=127.0.0.4 use=0 server_id=2 server_key=s2;"
                + " key=127.0.0.5 use=0 server_id=2 server_key=s2");
    }

    private static String entriesOf(String command, String answer) {
        return command.startsWith("show table") ? entries(answer) : answer;
    }

    /** One request with {@code connection: close} on a new connection from {@code source}: the status. */
    private static int ask(String source, int port) {
        try (RawClient c = new RawClient(source, port)) {
            c.timeout(3000);
            return c.send("GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").readResponse().status();
        }
    }

    private static List<String> held(int port, java.util.function.Supplier<String> table) {
        List<String> seen = new ArrayList<>();
        java.util.function.UnaryOperator<String> settle = expect -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> table.get().equals(expect));
            return table.get();
        };
        // two connections held open: tracked from the accept on, before any byte
        try (RawClient a = new RawClient("127.0.0.2", port);
             RawClient b = new RawClient("127.0.0.3", port)) {
            seen.add(settle.apply("key=127.0.0.2 use=1 conn_cnt=1 conn_cur=1; key=127.0.0.3 use=1 conn_cnt=1 conn_cur=1"));
            // full of held entries: the third client is served, untracked
            seen.add("c " + ask("127.0.0.4", port));
            seen.add("after c: " + table.get());
            // past expire (a wait for time itself, nothing to poll for), held entries stay
            await().pollDelay(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(3)).until(() -> true);
            seen.add("expired but held: " + table.get());
        }
        // released: conn_cur back to 0, use=0, a fresh expiry; then they expire and go, and a new client is tracked
        seen.add(settle.apply("key=127.0.0.2 use=0 conn_cnt=1 conn_cur=0; key=127.0.0.3 use=0 conn_cnt=1 conn_cur=0"));
        seen.add("expired: '" + settle.apply("") + "'");
        try (RawClient d = new RawClient("127.0.0.5", port)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> table.get().contains("127.0.0.5"));
            seen.add("with d: " + table.get());
        }
        return seen;
    }

    /**
     * Entries in use (HAProxy's {@code ref_cnt}): a table of 2 whose keys are tracked by open connections is
     * full of entries nothing may purge, so a third client is served untracked; the held entries outlive their
     * {@code expire}; once the connections close they are released (use=0, fresh expiry) and expire, and a new
     * client is tracked again. {@code show table} must read the same in both after every step.
     */
    @Test
    void heldEntriesAreNeitherPurgedNorExpired() {
        List<String> fromHaproxy = held(both.haproxyPort("p_held"), () -> entries(
                both.haproxyCli("show table fe_held")));
        List<String> fromBerth = held(both.berthPort("p_held"), () -> entries(both.berthCli("show table fe_held")));
        assertThat(fromBerth).containsExactlyElementsOf(fromHaproxy);
        assertThat(fromHaproxy).contains("c 200", "expired: ''",
                "with d: key=127.0.0.5 use=1 conn_cnt=1 conn_cur=1");
    }
}
