package io.berth.cli;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code berth} command as an operator runs it: the packaged jar in its own process. Exit codes and
 * messages of {@code -c}, {@code --list-keywords}, {@code -v}; the article's examples served; SIGTERM finishing
 * an in-flight request and exiting 0.
 */
class BerthCommandIT {
    @RegisterExtension
    static Backends backends = Backends.start(2);

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the shaded jar is built in the package phase"));
        }
    }

    private static ProcessBuilder berth(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile());
    }

    private Result run(String... args) throws Exception {
        Process p = berth(dir, args).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    @Test
    void checkAcceptsAValidConfiguration() throws Exception {
        Files.writeString(dir.resolve("ok.cfg"), """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                frontend fe
                    bind 127.0.0.1:1
                    default_backend be
                backend be
                    server s1 127.0.0.1:2
                """);
        Result r = run("-c", "-f", "ok.cfg");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Configuration file is valid\n");
    }

    @Test
    void checkReportsEveryErrorWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve("bad.cfg"), """
                defaults
                    mode http
                frontend fe
                    bind 127.0.0.1:1
                    default_backend be
                backend be
                    servr s1 127.0.0.1:2
                    server s2 127.0.0.1:3 chek
                """);
        Result r = run("-c", "-f", "bad.cfg");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(
                "config : parsing [bad.cfg:7] : unknown keyword 'servr' in 'backend' section; did you mean 'server' maybe ?",
                "config : [bad.cfg:8] : 'server be/s2' : unknown keyword 'chek'; did you mean 'check' maybe ?",
                "config : Error(s) found in configuration file : bad.cfg");
    }

    /**
     * {@code berth -c} prints the ALERT lines {@code haproxy -c} prints for errors Berth finds once the file is read
     * and HAProxy while reading it, closing lines included: an http rule's condition (HAProxy stops reading there:
     * no "Fatal errors" line), a switching rule's condition (both lines), and a missing backend (found after
     * reading by both: "Fatal errors" only).
     */
    @ParameterizedTest
    @ValueSource(strings = {"    http-request deny if bad\n    default_backend be\n",
            "    use_backend be if bad\n    default_backend be\n", "    default_backend nosuch\n"})
    void checkClosesAsHaproxyForErrorsFoundAfterReading(String rules) throws Exception {
        io.berth.testkit.Haproxy.assumeInstalled();
        Files.writeString(dir.resolve("c.cfg"), """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                frontend fe
                    bind 127.0.0.1:1
                """ + rules + """
                backend be
                    server s1 127.0.0.1:2
                """);
        Result r = run("-c", "-f", "c.cfg");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(alerts(r.err())).containsExactlyElementsOf(alerts(io.berth.testkit.Haproxy.check(dir.resolve("c.cfg"))));
    }

    /** The ALERT lines of a check's output, without the pid, the file named as given. */
    private static List<String> alerts(String err) {
        return err.lines().filter(l -> l.startsWith("[ALERT]")).map(l -> l.replaceFirst("\\(\\d+\\)", "(PID)")
                .replaceAll("\\S*c\\.cfg", "c.cfg")).toList();
    }

    @Test
    void listKeywordsAndVersion() throws Exception {
        Result kw = run("--list-keywords");
        assertThat(kw.exit()).isZero();
        assertThat(kw.out()).contains("balance", "server", "timeout connect", "default_backend");
        Result v = run("-v");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("Berth version ");
        Result none = run();
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no configuration file given");
    }

    /** Each article configuration in examples/ is served: a request reaches one of the two servers. */
    @Test
    void theArticleExamplesAreServed() throws Exception {
        backends.get("s1").respond(Reply.ok("one").header("X-Served-By", "app1"));
        backends.get("s2").respond(Reply.ok("two").header("X-Served-By", "app2"));
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            for (Path example : files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList()) {
                int port = BerthInstance.freePort();
                String text = Files.readString(example)
                        .replace("127.0.0.1:8080", "127.0.0.1:" + port)
                        .replace("127.0.0.1:9001", "127.0.0.1:" + backends.get("s1").port())
                        .replace("127.0.0.1:9002", "127.0.0.1:" + backends.get("s2").port());
                Path cfg = dir.resolve(example.getFileName());
                Files.writeString(cfg, text);
                Process p = berth(dir, "-f", cfg.getFileName().toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
                try {
                    awaitListening(port, p);
                    try (RawClient c = new RawClient(port)) {
                        RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Tenant-Id: t1\r\n\r\n")
                                .readResponse();
                        assertThat(r.status()).as(example + "\n" + Files.readString(dir.resolve("log"))).isEqualTo(200);
                        assertThat(r.header("x-served-by")).isIn("app1", "app2");
                    }
                } finally {
                    p.destroy();
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                assertThat(p.exitValue()).as(example + " exit after SIGTERM").isZero();
            }
        }
    }

    /** SIGTERM: stop accepting, let the in-flight request finish, remove the pid file, exit 0. */
    @Test
    void sigtermFinishesInFlightRequestsAndExitsZero() throws Exception {
        backends.get("s1").respond(Reply.ok("slow").delayed(1500));
        int port = BerthInstance.freePort();
        Files.writeString(dir.resolve("slow.cfg"), """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                backend be
                    server s1 127.0.0.1:%d
                """.formatted(port, backends.get("s1").port()));
        Path pid = dir.resolve("berth.pid");
        Process p = berth(dir, "-f", "slow.cfg", "-p", pid.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        awaitListening(port, p);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pid));
        assertThat(Files.readString(pid).trim()).isEqualTo(Long.toString(p.pid()));
        CompletableFuture<RawClient.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try (RawClient c = new RawClient(port)) {
                return c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> backends.get("s1").requests().size() == 1);
        p.destroy(); // SIGTERM
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 500))
                        .isInstanceOf(ConnectException.class));
        RawClient.Response r = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("slow");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("log"))).isZero();
        assertThat(pid).doesNotExist();
        assertThat(Files.readString(dir.resolve("log"), StandardCharsets.UTF_8)).contains("SIGTERM received");
    }

    private void awaitListening(int port, Process p) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("berth exited early: " + Files.readString(dir.resolve("log")));
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
