package io.berth.cli;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import io.berth.testkit.RuntimeApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In-process reload by SIGHUP on the packaged jar: the new configuration serves new connections, a connection
 * accepted before keeps the old runtime, a listener that did not change keeps accepting throughout, new binds
 * open, server states set over the runtime API survive, and a broken configuration leaves the running one alone.
 */
class ReloadIT {
    @RegisterExtension
    static Backends backends = Backends.start(2);

    @TempDir
    Path dir;

    private String config(int port, int extraPort, String server) {
        return """
                global
                    stats socket %s mode 600 level admin
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                %s
                backend be
                    http-response set-header X-Server %%[srv_name]
                    server %s
                    server spare 127.0.0.1:%d
                """.formatted(dir.resolve("admin.sock"), port,
                extraPort > 0 ? "frontend fe2\n    bind 127.0.0.1:" + extraPort + "\n    default_backend be" : "",
                server, backends.get("s2").port());
    }

    @Test
    void sighupReloadsWithoutDroppingListenersOrState() throws Exception {
        backends.get("s1").respond(Reply.ok("one"));
        backends.get("s2").respond(Reply.ok("two"));
        int port = BerthInstance.freePort();
        int extra = BerthInstance.freePort();
        Path cfg = dir.resolve("berth.cfg");
        Files.writeString(cfg, config(port, 0, "app 127.0.0.1:" + backends.get("s1").port()));
        Process p = berth(cfg);
        try {
            awaitListening(port, p);
            RawClient before = new RawClient(port);
            assertThat(get(before).header("x-server")).isEqualTo("app");
            assertThat(cli("disable server be/spare")).isEqualTo("\n");

            // the new configuration: "app" now points at s2, and a second frontend appears
            Files.writeString(cfg, config(port, extra, "app 127.0.0.1:" + backends.get("s2").port()));
            int s2Before = backends.get("s2").requests().size();
            signal(p, "HUP");
            awaitListening(extra, p);
            try (RawClient after = new RawClient(port)) {
                RawClient.Response r = get(after);
                assertThat(r.bodyText()).isEqualTo("two");
            }
            assertThat(backends.get("s2").requests().size()).isGreaterThan(s2Before);
            // the connection accepted before the reload keeps the runtime it was accepted under
            assertThat(get(before).bodyText()).isEqualTo("one");
            before.close();
            // MAINT set over the runtime API survived the reload (admin state 1 = forced maintenance)
            assertThat(cli("show servers state be")).containsPattern("\\d+ be 2 spare 127\\.0\\.0\\.1 0 1 ");

            // a broken configuration is refused and the running one keeps serving
            Files.writeString(cfg, config(port, extra, "app 127.0.0.1:" + backends.get("s2").port())
                    + "    servr oops 127.0.0.1:1\n");
            signal(p, "HUP");
            await().atMost(Duration.ofSeconds(20)).until(() -> log().contains("reload failed"));
            assertThat(log()).contains("unknown keyword 'servr'");
            try (RawClient c = new RawClient(extra)) {
                assertThat(get(c).bodyText()).isEqualTo("two");
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).as(log()).isZero();
    }

    private static RawClient.Response get(RawClient c) {
        return c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("log"));
    }

    private Process berth(Path cfg) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst().orElseThrow();
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toAbsolutePath().toString(), "-f", cfg.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    }

    private static void signal(Process p, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** One command on the admin socket, the whole answer. */
    private String cli(String command) {
        return RuntimeApi.cli(dir.resolve("admin.sock"), command);
    }

    private void awaitListening(int port, Process p) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("berth exited: " + log());
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
