package io.berth.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Real HAProxy 2.6 ({@code /usr/sbin/haproxy -db}) running a config text, for differential tests: the same config
 * goes to Berth and to HAProxy, the same bytes to both. Skips the calling test with a message when HAProxy is not
 * installed. Its stdout (with {@code log stdout format raw ...}: its log lines, {@link #logLines()}) and its stderr
 * (alerts, warnings) are kept in two files of a private temp directory; {@link #output()} shows both. Talk to its
 * stats socket with {@link RuntimeApi#cli}. Test-thread only.
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

    /**
     * Starts HAProxy on {@code config} and waits until every one of {@code ports} accepts connections. Each port is
     * probed with empty connections, which HAProxy counts and logs (HTTP mode: a 400 {@code <BADREQ>} line, CR--)
     * and a TCP-mode listener balances: pass no ports where that matters, and wait some other way.
     */
    public static Haproxy start(String config, int... ports) {
        return start(config, List.of(), ports);
    }

    /**
     * Same, with more command-line {@code options} after {@code -db -f <file>}, e.g. {@code -L <local peer name>}.
     */
    public static Haproxy start(String config, List<String> options, int... ports) {
        assumeInstalled();
        try {
            Path dir = Files.createTempDirectory("berth-haproxy");
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config);
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-db", "-f", cfg.toString()));
            command.addAll(options);
            Process p = new ProcessBuilder(command)
                    .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile())
                    .start();
            Haproxy haproxy = new Haproxy(p, dir);
            for (int port : ports) {
                haproxy.awaitUntil(() -> {
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

    /**
     * Runs {@code haproxy -c -f <file name>} in {@code config}'s directory (so messages name the file as the test
     * wrote it) and returns what it printed, stdout and stderr together. Fails when it runs past 20 s.
     */
    public static String check(Path config) {
        assumeInstalled();
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "-c", "-f", config.getFileName().toString())
                    .directory(config.toAbsolutePath().getParent().toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("haproxy -c still running after 20 s: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits (10 s) until HAProxy listens on the Unix socket {@code socket}, e.g. its stats socket. */
    public Haproxy awaitSocket(Path socket) {
        awaitUntil(() -> {
            if (!Files.exists(socket)) {
                return false;
            }
            try (var c = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Polls {@code condition} for up to 10 s; fails at once with HAProxy's output when the process has exited. */
    private void awaitUntil(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("haproxy exited: " + output());
            }
            return condition.call();
        });
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything HAProxy printed so far: stderr (alerts, warnings), then stdout (log lines). */
    public String output() {
        return read("stderr") + read("stdout");
    }

    /** The complete lines HAProxy wrote to stdout so far (its log with {@code log stdout}); a partial last is left. */
    public List<String> logLines() {
        String out = read("stdout");
        int end = out.lastIndexOf('\n');
        return end < 0 ? List.of() : new ArrayList<>(out.substring(0, end).lines().toList());
    }

    private String read(String file) {
        try {
            Path f = dir.resolve(file);
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops HAProxy (SIGTERM, then SIGKILL after 5 s) and removes its files. Closing twice is harmless. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            if (!Files.isDirectory(dir)) {
                return;
            }
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
