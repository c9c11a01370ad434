package io.berth.cli;

import io.berth.api.StatsSockets;
import io.berth.health.HealthChecks;
import io.berth.health.HealthOptions;
import io.berth.log.AccessLog;
import io.berth.proxy.listen.ProxyServer;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A running Berth: configuration loaded, runtime built, listeners bound, health checks started; then waits for
 * SIGTERM/SIGINT and stops gracefully (in-flight requests get {@code hard-stop-after}, else
 * {@link #DEFAULT_GRACE}). Owned by the main thread.
 */
final class BerthProcess {
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    /**
     * @param onStarted run once everything is serving (the demo prints its instructions there); may be null
     */
    record Options(List<Path> files, String localPeer, Path pidFile, Runnable onStarted) {
    }

    private volatile Runtime runtime;
    private final ProxyServer proxy;
    private Map<String, HealthChecks> checks;
    private StatsSockets statsSockets;
    private java.util.concurrent.ScheduledFuture<?> stickExpiry;

    private BerthProcess(Runtime runtime, ProxyServer proxy) {
        this.runtime = runtime;
        this.proxy = proxy;
    }

    /** Runs until stopped by a signal. @return the process exit code */
    static int run(Options options) {
        Runtime runtime = ConfigCheck.load(options.files());
        if (runtime == null) {
            return 1;
        }
        ProxyServer proxy;
        try {
            proxy = ProxyServer.start(runtime, runtime.config().global().nbthread());
        } catch (IllegalStateException e) {
            Console.alert(e.getMessage());
            return 1;
        }
        BerthProcess process = new BerthProcess(runtime, proxy);
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onStop(signal -> {
            Console.notice(signal + " received: stopping (finishing in-flight requests).");
            stop.countDown();
        });
        try {
            process.checks = process.startHealthChecks(runtime);
            process.statsSockets = StatsSockets.start(runtime, runtime.config().global(), process.checks);
            process.stickExpiry = io.berth.proxy.StickStep.startExpiry(proxy.eventLoopGroup().next(),
                    () -> process.runtime);
            Reloader reloader = new Reloader(options.files(), () -> process.runtime, process::switchTo);
            java.util.concurrent.ExecutorService reloads = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "berth-reload");
                t.setDaemon(true);
                return t;
            });
            Signals.onReload(signal -> reloads.execute(() -> reloader.reload(signal + " received")));
            writePidFile(options.pidFile());
            for (ProxyServer.Listener l : proxy.listeners()) {
                Console.notice("frontend " + l.frontend() + " listening on " + l.address());
            }
            process.debugSummary();
            if (options.onStarted() != null) {
                options.onStarted().run();
            }
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            Console.alert("Starting: " + e.getMessage());
            process.stop();
            return 1;
        }
        process.stop();
        deletePidFile(options.pidFile());
        return 0;
    }

    /** With {@code -d}: what was built from the configuration, one line per backend and server. */
    private void debugSummary() {
        if (!Console.debug()) {
            return;
        }
        int loops = 0;
        for (io.netty.util.concurrent.EventExecutor ignored : proxy.eventLoopGroup()) {
            loops++;
        }
        Console.debug("event loops: " + loops + ", "
                + runtime.frontends().size() + " frontend(s), " + runtime.backends().size() + " backend(s)");
        for (RuntimeBackend b : runtime.backends()) {
            Console.debug("backend " + b.name() + ": mode " + b.spec().mode().name().toLowerCase(java.util.Locale.ROOT)
                    + ", balance " + b.spec().balance().algorithm().name().toLowerCase(java.util.Locale.ROOT)
                    + (b.spec().balance().isHashBased() ? " (" + b.spec().balance().hashType() + ", "
                    + b.spec().balance().hashFunction() + (b.spec().balance().avalanche() ? "+avalanche" : "") + ")" : "")
                    + ", retries " + b.spec().retries());
            b.servers().all().forEach(s -> Console.debug("  server " + s + " " + s.address() + " weight " + s.weight()
                    + (s.isBackup() ? " backup" : "") + " state " + s.state()
                    + (s.spec().check() != null && s.spec().check().enabled() ? " (checked)" : "")));
        }
    }

    /**
     * Switches to a reloaded runtime: its health checks start (servers carried DOWN stay DOWN until they pass),
     * listeners are kept, added or closed, the stats sockets answer from it, then the old checks stop.
     */
    private synchronized void switchTo(Runtime next) {
        Map<String, HealthChecks> nextChecks = startHealthChecks(next);
        try {
            proxy.reload(next);
        } catch (IllegalStateException e) {
            Console.alert(e.getMessage());
        }
        if (statsSockets != null) {
            statsSockets.swap(next, nextChecks);
        }
        Map<String, HealthChecks> old = checks;
        checks = nextChecks;
        runtime = next;
        old.values().forEach(HealthChecks::stop);
    }

    private Map<String, HealthChecks> startHealthChecks(Runtime runtime) {
        Map<String, HealthChecks> checks = new LinkedHashMap<>();
        for (RuntimeBackend backend : runtime.backends()) {
            AccessLog log = backend.log();
            HealthOptions options = new HealthOptions(backend.spec().options().logHealthChecks(),
                    runtime.frontend(backend.name()) != null ? "listen" : "backend");
            checks.put(backend.name(), HealthChecks.start(backend.spec(), backend.servers(), proxy.eventLoopGroup(),
                    (level, message) -> {
                        log.event(level, message);
                        if (!level.equals("notice") || message.startsWith("Server ")) {
                            Console.warning(message);
                        }
                    }, options));
        }
        return checks;
    }

    private synchronized void stop() {
        if (stickExpiry != null) {
            stickExpiry.cancel(false);
        }
        if (statsSockets != null) {
            statsSockets.stop();
        }
        checks.values().forEach(HealthChecks::stop);
        long grace = runtime.config().global().hardStopAfterMs();
        proxy.stop(grace > 0 ? Duration.ofMillis(grace) : DEFAULT_GRACE);
    }

    private static void writePidFile(Path pidFile) throws IOException {
        if (pidFile != null) {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        }
    }

    private static void deletePidFile(Path pidFile) {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                Console.warning("cannot remove pid file " + pidFile + ": " + e.getMessage());
            }
        }
    }
}
