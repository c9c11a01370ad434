package io.berth.cli;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Reply;
import io.berth.testkit.RuntimeApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reloads under load on the packaged jar (issue 7): 20 in-process reloads (SIGHUP) then 5 reloads by process
 * replacement ({@code -L me -sf OLDPID}, the old process handing its stick table over through the local peer),
 * while client threads keep sending requests on fresh connections, each for one of {@link #USERS} users stuck
 * by a header. Asserts zero failed requests, every user answered by the same server throughout, and the
 * {@code show table} of the last process equal (keys and server ids) to the one before the first reload.
 */
class PeersReloadIT {
    private static final int USERS = 300;
    private static final int CLIENTS = 4;

    @RegisterExtension
    static Backends backends = Backends.start(2);

    @TempDir
    Path dir;

    private int port;
    private int peerPort;

    private String config(int generation) {
        return """
                global
                    stats socket %s mode 600 level admin
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                peers local
                    peer me 127.0.0.1:%d
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                backend be
                    balance roundrobin
                    stick-table type string len 32 size 10k expire 30m peers local
                    stick on hdr(x-user)
                    http-response set-header X-Server %%[srv_name]
                    server s1 127.0.0.1:%d
                    server s2 127.0.0.1:%d
                """.formatted(socket(generation), peerPort, port, backends.get("s1").port(),
                backends.get("s2").port());
    }

    private Path socket(int generation) {
        return dir.resolve("admin" + generation + ".sock");
    }

    @Test
    void twentySighupAndFiveSfReloadsUnderLoadFailNothingAndKeepEveryEntry() throws Exception {
        backends.get("s1").respond(Reply.ok("one"));
        backends.get("s2").respond(Reply.ok("two"));
        port = BerthInstance.freePort();
        peerPort = BerthInstance.freePort();
        int generation = 0;
        Path cfg = dir.resolve("berth0.cfg");
        Files.writeString(cfg, config(0));
        Process p = berth(cfg, 0, "-L", "me");
        List<Process> all = new ArrayList<>(List.of(p));
        Map<String, String> stuck = new ConcurrentHashMap<>();
        AtomicLong ok = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger moved = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>("start");
        try {
            awaitListening(port, p);
            for (int u = 0; u < USERS; u++) {
                stuck.put("u" + u, request("u" + u));
            }
            Map<String, String> before = table(0);
            assertThat(before).hasSize(USERS);

            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int seed = c;
                Thread t = new Thread(() -> {
                    int i = seed;
                    while (running.get()) {
                        String user = "u" + (i = (i * 31 + 7) % USERS);
                        try {
                            String server = request(user);
                            if (!server.equals(stuck.get(user))) {
                                moved.incrementAndGet();
                                failures.add(user + " moved from " + stuck.get(user) + " to " + server + " in "
                                        + phase.get());
                            }
                            ok.incrementAndGet();
                        } catch (IOException | RuntimeException e) {
                            failed.incrementAndGet();
                            failures.add(user + ": " + e);
                        }
                    }
                }, "client-" + c);
                t.start();
                clients.add(t);
            }

            for (int r = 1; r <= 20; r++) {
                phase.set("HUP " + r);
                int done = count(log(0), "reload complete");
                signal(p, "HUP");
                Process current = p;
                int expected = done + 1;
                await().atMost(Duration.ofSeconds(30)).until(() -> count(log(0), "reload complete") >= expected
                        || !current.isAlive());
                assertThat(p.isAlive()).as(log(0)).isTrue();
            }
            long afterHup = ok.get();

            for (int r = 1; r <= 5; r++) {
                generation++;
                phase.set("sf " + generation);
                Path next = dir.resolve("berth" + generation + ".cfg");
                Files.writeString(next, config(generation));
                Process old = p;
                p = berth(next, generation, "-L", "me", "-sf", Long.toString(old.pid()));
                all.add(p);
                int g = generation;
                Process current = p;
                await().atMost(Duration.ofSeconds(40)).until(() -> !old.isAlive() || !current.isAlive());
                assertThat(p.isAlive()).as(log(g)).isTrue();
                assertThat(old.exitValue()).as(log(g - 1)).isZero();
                assertThat(log(g - 1)).contains("SIGUSR1 received: soft stop");
                await().atMost(Duration.ofSeconds(10)).until(() -> log(g).contains("serving (old process"));
            }
            Thread.sleep(1000);
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
            Map<String, String> after = table(generation);
            String peers = cli(generation, "show peers");
            assertThat(peers).contains("id=local disabled=0").contains("id=me(local,inactive) addr=127.0.0.1:" + peerPort);
            assertThat(cli(generation, "show peers nosuch")).isEqualTo("No such peers\n\n");
            System.out.printf("reload under load: %d requests ok (%d before the -sf reloads), %d failed, %d moved;"
                    + " entries before %d, after %d, kept %d%n", ok.get(), afterHup, failed.get(), moved.get(),
                    before.size(), after.size(), before.entrySet().stream()
                            .filter(e -> e.getValue().equals(after.get(e.getKey()))).count());
            assertThat(failures).as("failed or moved requests").isEmpty();
            assertThat(after).isEqualTo(before);
            assertThat(ok.get()).isGreaterThan(afterHup);
        } finally {
            running.set(false);
            for (Process x : all) {
                x.destroy();
            }
            for (Process x : all) {
                x.waitFor(30, TimeUnit.SECONDS);
            }
            if (System.getProperty("peers.reload.keep") != null) {
                Path keep = Path.of(System.getProperty("peers.reload.keep"));
                Files.createDirectories(keep);
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("log")).toList()) {
                        Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** One request on a fresh connection for {@code user}; returns the X-Server header. */
    private String request(String user) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: x\r\nX-User: " + user + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (!reply.startsWith("HTTP/1.1 200")) {
                throw new IOException("answer: " + (reply.isEmpty() ? "(closed)" : reply.lines().findFirst()
                        .orElse("")));
            }
            Matcher m = Pattern.compile("(?im)^x-server: *(\\S+)").matcher(reply);
            if (!m.find()) {
                throw new IOException("no X-Server in " + reply);
            }
            return m.group(1);
        }
    }

    private static final Pattern ENTRY = Pattern.compile("key=(\\S+) .*server_id=(\\d+)");

    /** {@code show table be} as key → server_id. */
    private Map<String, String> table(int generation) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : cli(generation, "show table be").split("\n")) {
            Matcher m = ENTRY.matcher(line);
            if (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    private String log(int generation) throws IOException {
        return Files.readString(dir.resolve("log" + generation));
    }

    private Process berth(Path cfg, int generation, String... extra) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow();
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toAbsolutePath().toString(), "-f", cfg.toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log" + generation).toFile()).start();
    }

    private static void signal(Process p, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private String cli(int generation, String command) {
        return RuntimeApi.cli(socket(generation), command);
    }

    private void awaitListening(int port, Process p) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("berth exited: " + log(0));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
