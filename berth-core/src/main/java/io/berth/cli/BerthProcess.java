package io.berth.cli;

import io.berth.api.StatsSockets;
import io.berth.health.HealthChecks;
import io.berth.health.HealthOptions;
import io.berth.log.AccessLog;
import io.berth.peers.Peers;
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
 * A running Berth: configuration loaded, runtime built, listeners bound, health checks and peers started; then
 * waits for SIGTERM/SIGINT and stops gracefully (in-flight requests get {@code hard-stop-after}, else
 * {@link #DEFAULT_GRACE}), or for SIGUSR1, HAProxy's soft stop, which also hands the stick tables over to the
 * next process through the local peer. Started with {@code -sf PID...} it is that next process: listeners are
 * bound next to the old ones ({@code SO_REUSEPORT}) but accept only once the old process has taught its tables
 * (or 5 s passed). Owned by the main thread.
 */
final class BerthProcess {
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    /**
     * @param onStarted run once everything is serving (the demo prints its instructions there); may be null
     */
    record Options(List<Path> files, String localPeer, Path pidFile, Runnable onStarted, List<Long> softFinish,
                   List<Long> terminate) {
        Options(List<Path> files, String localPeer, Path pidFile, Runnable onStarted) {
            this(files, localPeer, pidFile, onStarted, List.of(), List.of());
        }

        boolean replacing() {
            return !softFinish.isEmpty() || !terminate.isEmpty();
        }
    }

    /** How long a new process started with {@code -sf} waits for the old one's tables before serving anyway. */
    private static final long HAND_OVER_WAIT_MS = 6000;

    private volatile Runtime runtime;
    private final ProxyServer proxy;
    private Map<String, HealthChecks> checks;
    private StatsSockets statsSockets;
    private java.util.concurrent.ScheduledFuture<?> stickExpiry;
    private Peers peers;
    private String localPeer;
    private volatile boolean softStop;

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
            proxy = ProxyServer.start(runtime, runtime.config().global().nbthread(), options.replacing());
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
        Signals.onSoftStop(signal -> {
            Console.notice(signal + " received: soft stop (handing stick tables over, finishing in-flight requests).");
            process.softStop = true;
            stop.countDown();
        });
        try {
            process.checks = process.startHealthChecks(runtime);
            process.statsSockets = StatsSockets.start(runtime, runtime.config().global(), process.checks);
            process.startPeers(options, runtime);
            process.statsSockets.context().peers(section -> {
                Peers p = process.peers;
                return p == null ? (section.isEmpty() ? "" : null) : p.describe(section);
            });
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
            if (options.replacing()) {
                process.replaceOldProcesses(options);
            }
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

    /** Starts the peers sections naming the local peer ({@code -L}, {@code localpeer}, else the host name). */
    private void startPeers(Options options, Runtime rt) throws InterruptedException {
        if (rt.config().peers().isEmpty()) {
            return;
        }
        localPeer = Peers.localName(options.localPeer(), rt.config());
        boolean epoll = io.netty.channel.epoll.Epoll.isAvailable();
        peers = Peers.start(rt.config(), rt.stickTables(), localPeer, proxy.eventLoopGroup(),
                epoll ? io.netty.channel.epoll.EpollServerSocketChannel.class
                        : io.netty.channel.socket.nio.NioServerSocketChannel.class,
                epoll ? io.netty.channel.epoll.EpollSocketChannel.class
                        : io.netty.channel.socket.nio.NioSocketChannel.class,
                Console::warning, options.replacing());
        for (io.berth.peers.PeerSection s : peers.sections()) {
            Console.notice("peers " + s.name() + ": local peer '" + localPeer + "', " + s.tables().size()
                    + " table(s) synced");
        }
    }

    /**
     * The new process's half of {@code -sf}/{@code -st}: our listeners are bound (paused); tell the old
     * processes to finish, wait for their tables through the local peer (bounded), then accept. Connections that
     * arrived meanwhile waited in the backlog.
     */
    private void replaceOldProcesses(Options options) throws InterruptedException {
        if (!options.softFinish().isEmpty()) {
            Signals.send("USR1", options.softFinish());
        }
        if (!options.terminate().isEmpty()) {
            Signals.send("TERM", options.terminate());
        }
        long deadline = System.nanoTime() + HAND_OVER_WAIT_MS * 1_000_000L;
        while (!options.softFinish().isEmpty() && peers != null && peers.awaitingHandOver()
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        proxy.resumeAccepting();
        Console.notice("reload by process replacement: serving (old process(es) " + options.softFinish()
                + options.terminate() + " told to finish).");
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
        reloadPeers(next);
        Map<String, HealthChecks> old = checks;
        checks = nextChecks;
        runtime = next;
        old.values().forEach(HealthChecks::stop);
    }

    /**
     * Peers across an in-process reload: sections whose tables are the same objects keep running; the others
     * restart over the new tables; a configuration that gained its first peers section starts them.
     */
    private void reloadPeers(Runtime next) {
        try {
            if (peers != null) {
                peers = peers.reload(next.config(), next.stickTables());
            } else if (!next.config().peers().isEmpty()) {
                startPeers(new Options(List.of(), localPeer, null, null), next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Console.alert("reload: peers: " + e.getMessage());
        }
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
        if (softStop) {
            // HAProxy's soft stop: the next process (bound with SO_REUSEPORT) takes new connections; ours
            // close first so no entry changes after the tables are taught, then the tables go over the local peer
            proxy.closeListeners();
            if (peers != null) {
                try {
                    peers.handOver().get(HAND_OVER_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    Console.warning("peers hand-over to the next process: " + e);
                }
            }
        }
        if (peers != null) {
            peers.stop();
        }
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
