package io.berth.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Real HAProxy 2.6 ({@code /usr/sbin/haproxy -db}) running a config text, for differential tests: the same config
 * goes to Berth and to HAProxy, the same bytes to both. Skips the calling test with a message when HAProxy is not
 * installed. Its stdout and stderr (with {@code log stdout format raw ...}, its log lines) are kept in a file.
 * Test-thread only.
 */
public final class Haproxy implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final Path dir;

    private Haproxy(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** Skips the current test when HAProxy is absent, saying why. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "HAProxy 2.6 not installed (" + BINARY + "): differential test skipped");
    }

    /** Starts HAProxy on {@code config} and waits until every one of {@code ports} accepts connections. */
    public static Haproxy start(String config, int... ports) {
        assumeInstalled();
        try {
            Path dir = Files.createTempDirectory("berth-haproxy");
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config);
            Process p = new ProcessBuilder(BINARY.toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("output").toFile()).start();
            Haproxy haproxy = new Haproxy(p, dir);
            for (int port : ports) {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("haproxy exited: " + haproxy.output());
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
            }
            return haproxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything HAProxy printed so far (alerts, and log lines when logging to stdout). */
    public String output() {
        try {
            return Files.readString(dir.resolve("output"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
