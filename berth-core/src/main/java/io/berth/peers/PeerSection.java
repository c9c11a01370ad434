package io.berth.peers;

import io.berth.model.PeersSpec;
import io.berth.peers.wire.Handshake;
import io.berth.persist.stick.StickChangeListener;
import io.berth.persist.stick.StickTable;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The live form of one {@code peers} section: listens on the local peer's address, dials every other peer,
 * keeps at most one session per remote peer (a new incoming one replaces it), redials with HAProxy 2.6's timers,
 * and runs the startup resync ({@link StartupResync}). Everything here runs on one event loop
 * taken from the group it is given, so sessions, timers and resync state need no locks; only
 * {@link #touched} is called from other threads.
 *
 * <p>Timers (reference §6.7): heartbeat after 3 s without sending; a session is closed when a 5 s period ends
 * with nothing received; a refused connect is redialled after 5 s, a closed session after 50–2050 ms; a peer
 * that answered the handshake with an error status is never redialled. A process with remote peers starts "not
 * up to date": it asks one connected peer for a resync ({@code 00 00}), tries another after a partial answer,
 * and considers itself up to date on a full answer or after 5 s.
 */
public final class PeerSection {
    static final long HEARTBEAT_MS = 3000;
    static final long SILENCE_MS = 5000;
    static final long REFUSED_REDIAL_MS = 5000;
    static final long RESYNC_TIMEOUT_MS = 5000;
    private static final long TICK_MS = 100;

    /** A remote member of the section and its session state (event loop only). */
    static final class RemotePeer {
        final String name;
        final InetSocketAddress address;
        /** The local peer: the previous (or next) process of this one, met only during a reload. */
        final boolean local;
        PeerSession session;
        boolean dialing;
        boolean gaveUp;
        long nextDial;
        /** For {@code show peers}: HAProxy's last status word, last handshake time (ms clock). */
        String lastStatus = "NONE";
        long lastHandshake = -1;
        /**
         * HAProxy's per-peer counters ({@code struct peer}): connections dialled, heartbeats sent and received,
         * sessions closed for silence, protocol errors found in what the peer sent, and collisions (its call
         * replacing a session we had).
         */
        int newConn;
        int txHbt;
        int rxHbt;
        int noHbt;
        int protoErr;
        int coll;

        RemotePeer(String name, InetSocketAddress address, boolean local) {
            this.name = name;
            this.address = address;
            this.local = local;
        }
    }

    private final String localName;
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final Map<String, RemotePeer> remotes = new LinkedHashMap<>();
    private RemotePeer localPeer;
    private CompletableFuture<Boolean> handOver;
    private final TableSync sync;
    private final Consumer<String> log;
    private final AtomicBoolean pushScheduled = new AtomicBoolean();
    private final StartupResync resync;
    private Channel server;
    private ScheduledFuture<?> ticker;
    private volatile boolean stopped;
    private final String name;
    private final java.time.ZonedDateTime started = java.time.ZonedDateTime.now();
    private final List<StickTable> tables;
    /** Installed on every table of the section: each local change queues the entry for the remote peers. */
    private final StickChangeListener changeListener;

    private PeerSection(PeersSpec spec, String localName, Collection<StickTable> tables, EventLoop loop,
                        Class<? extends Channel> channelClass, Consumer<String> log, boolean expectLocalTeach) {
        this.localName = localName;
        this.loop = loop;
        this.channelClass = channelClass;
        this.log = log;
        for (PeersSpec.Peer p : spec.peers()) {
            if (!p.name().equals(localName)) {
                remotes.put(p.name(), new RemotePeer(p.name(), new InetSocketAddress(p.host(), p.port()), false));
            } else {
                localPeer = new RemotePeer(p.name(), new InetSocketAddress(p.host(), p.port()), true);
            }
        }
        this.name = spec.name();
        this.tables = List.copyOf(tables);
        this.sync = new TableSync(tables, remotes.keySet(), TableSync.DEFAULT_BACKLOG);
        this.changeListener = sync::touched;
        this.tables.forEach(t -> t.listen(changeListener));
        this.resync = new StartupResync(!remotes.isEmpty(), expectLocalTeach, clock());
        sync.onWork(() -> {
            if (pushScheduled.compareAndSet(false, true)) {
                loop.execute(this::pushAll);
            }
        });
    }

    /**
     * Binds the local peer's address and starts dialling the others.
     *
     * @param spec      the section; one of its peers must be named {@code localName} (HAProxy otherwise removes
     *                  the section, which the caller does before getting here)
     * @param tables    the stick tables declared with {@code peers <this section>}, in declaration order
     * @param group     the event loops; one is taken for the whole section
     * @param log       where reasons for closed sessions go
     * @throws IllegalArgumentException when no peer is named {@code localName}
     * @throws InterruptedException     while binding
     */
    public static PeerSection start(PeersSpec spec, String localName, Collection<StickTable> tables,
                                    EventLoopGroup group, Class<? extends ServerChannel> serverChannelClass,
                                    Class<? extends Channel> channelClass, Consumer<String> log)
            throws InterruptedException {
        PeerSection s = create(spec, localName, tables, group, channelClass, log, false);
        s.server = s.serverBootstrap(serverChannelClass).bind(s.localPeer.address).sync().channel();
        s.ticker = s.loop.scheduleAtFixedRate(s::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * The new process of a reload by process replacement (HAProxy's {@code -sf}): like {@link #start}, but the
     * local peer's address is still held by the old process, so binding is retried every 100 ms until the old
     * one lets go ({@link #handOver}); the old process then teaches this one through the local peer, and only
     * after that (or 5 s) does this one ask a remote peer for a resync. Returns at once.
     */
    public static PeerSection startAfter(PeersSpec spec, String localName, Collection<StickTable> tables,
                                         EventLoopGroup group, Class<? extends ServerChannel> serverChannelClass,
                                         Class<? extends Channel> channelClass, Consumer<String> log) {
        PeerSection s = create(spec, localName, tables, group, channelClass, log, true);
        ServerBootstrap b = s.serverBootstrap(serverChannelClass);
        s.loop.execute(() -> s.bindLoop(b));
        s.ticker = s.loop.scheduleAtFixedRate(s::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return s;
    }

    private void bindLoop(ServerBootstrap b) {
        if (stopped) {
            return;
        }
        b.bind(localPeer.address).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                server = f.channel();
            } else {
                loop.schedule(() -> bindLoop(b), 100, TimeUnit.MILLISECONDS);
            }
        });
    }

    private static PeerSection create(PeersSpec spec, String localName, Collection<StickTable> tables,
                                      EventLoopGroup group, Class<? extends Channel> channelClass,
                                      Consumer<String> log, boolean expectLocalTeach) {
        if (spec.peers().stream().noneMatch(p -> p.name().equals(localName))) {
            throw new IllegalArgumentException("Removing incomplete section 'peers " + spec.name()
                    + "' (no peer named '" + localName + "').");
        }
        return new PeerSection(spec, localName, tables, group.next(), channelClass, log, expectLocalTeach);
    }

    private ServerBootstrap serverBootstrap(Class<? extends ServerChannel> serverChannelClass) {
        return new ServerBootstrap().group(loop, loop).channel(serverChannelClass)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new PeerSession(PeerSection.this, null));
                    }
                });
    }

    /**
     * The old process's half of a reload by process replacement (HAProxy's soft stop with a local peer, reference
     * §6.8): closes the listener and the remote sessions, then dials its own address (now the new process's)
     * every 500 ms for up to 5 s, announcing the local name on both hello lines, teaches every table, ends with
     * {@code 00 01} (or {@code 00 02} when not up to date itself) and waits for {@code 00 03}. A process still in
     * its own startup resync hands nothing over, as HAProxy 2.6 does. The future completes with true once the
     * new process confirmed, false otherwise; the section is stopped either way.
     */
    public CompletableFuture<Boolean> handOver() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        loop.execute(() -> {
            handOver = done;
            stopped = true;
            if (server != null) {
                server.close();
            }
            remotes.values().forEach(r -> {
                if (r.session != null) {
                    r.session.close();
                }
            });
            if (!resync.upToDate()) {
                finishHandOver(false);
                return;
            }
            localPeer.nextDial = 0;
            loop.schedule(() -> finishHandOver(false), RESYNC_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        });
        return done;
    }

    private void finishHandOver(boolean confirmed) {
        if (handOver != null && !handOver.isDone()) {
            handOver.complete(confirmed);
            stop();
        }
    }

    public String localName() {
        return localName;
    }

    public TableSync sync() {
        return sync;
    }

    public boolean upToDate() {
        return resync.upToDate();
    }

    /**
     * True while this section, started by {@link #startAfter}, still waits for the old process to teach it
     * (at most {@link #RESYNC_TIMEOUT_MS} after start). The new process serves only afterwards. Any thread.
     */
    public boolean awaitingHandOver() {
        return resync.waitingForLocal(clock());
    }

    /** Where the local peer listens (useful with port 0 in tests). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Queues a locally changed entry for every remote peer; see {@link TableSync#touched}. Any thread. */
    public void touched(StickTable table, int[] key) {
        sync.touched(table, key);
    }

    /**
     * The {@code show peers} text of this section (head line, then the local peer and each remote), snapshot
     * taken on the event loop; see {@link PeersStatus}.
     */
    public String describe() {
        try {
            return loop.submit(() -> {
                long now = clock();
                StringBuilder b = new StringBuilder(PeersStatus.head(this, name, started, upToDate()));
                b.append(PeersStatus.peer(localPeer, now, 0, List.of()));
                for (RemotePeer r : remotes.values()) {
                    long due = r.session == null ? 0 : r.session.lastSent() + HEARTBEAT_MS;
                    b.append(PeersStatus.peer(r, now, due, tables));
                }
                return b.toString();
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "peers section " + name + ": no answer from its event loop (" + e + ")\n";
        }
    }

    /** Names of the remote peers with an established session (event loop snapshot; tests and the CLI). */
    public List<String> connected() {
        try {
            return loop.submit(() -> {
                List<String> out = new ArrayList<>();
                remotes.values().forEach(r -> {
                    if (r.session != null && r.session.established()) {
                        out.add(r.name);
                    }
                });
                return out;
            }).get();
        } catch (Exception e) {
            return List.of();
        }
    }

    /** The section's name. */
    public String name() {
        return name;
    }

    /** The tables this section syncs, in declaration order. */
    public List<StickTable> tables() {
        return tables;
    }

    /**
     * Closes the listener and every session; no redial afterwards. The tables stop reporting changes to this
     * section at once. The returned future completes once the listener's socket is closed (a section restarted by
     * a reload can then bind the same address).
     */
    public java.util.concurrent.Future<?> stop() {
        stopped = true;
        for (StickTable t : tables) {
            if (t.listener() == changeListener) {
                t.listen(null);
            }
        }
        return loop.submit(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
            if (server != null) {
                server.close();
            }
            if (localPeer.session != null) {
                localPeer.session.close();
            }
            remotes.values().forEach(r -> {
                if (r.session != null) {
                    r.session.close();
                }
            });
        });
    }

    long clock() {
        return System.nanoTime() / 1_000_000L;
    }

    void log(String message) {
        log.accept(message);
    }

    /** True for a name the acceptor takes: a remote peer, or the local one (the other process of a reload). */
    boolean isRemote(String name) {
        return remotes.containsKey(name) || name.equals(localName);
    }

    /**
     * An outgoing connection is up: it becomes the remote's session unless the peer called us meanwhile (then
     * ours is dropped before saying anything, so the peer's session is not replaced). Returns false to drop it.
     */
    boolean connected(PeerSession s) {
        RemotePeer r = s.remote();
        if (r.session != null && r.session != s) {
            return false;
        }
        r.session = s;
        return true;
    }

    RemotePeer remote(String name) {
        return name.equals(localName) ? localPeer : remotes.get(name);
    }

    /** True when a local-peer session is already running: a second one is told 300 (retry later). */
    boolean localSessionRunning() {
        return localPeer.session != null && localPeer.session.established();
    }

    /** A session finished its handshake: it becomes the remote's session, replacing any other. */
    void up(PeerSession s) {
        RemotePeer r = s.remote();
        if (r.session != null && r.session != s) {
            PeerSession old = r.session;
            r.session = s;
            old.close();
            r.coll++;
        }
        r.session = s;
        r.lastStatus = "ESTA";
        r.lastHandshake = clock();
        s.start();
        if (r.local) {
            if (handOver != null) {
                // we are the old process: teach the new one unasked
                s.teach();
            }
            return;
        }
        resync.sessionUp(s, clock());
    }

    /** The other side confirmed our teaching ({@code 00 03}): ends a hand-over. */
    void confirmed(PeerSession s) {
        if (s.remote().local && handOver != null) {
            s.close();
            finishHandOver(true);
        }
    }

    /** The peer we asked answered {@code 00 01} (complete) or {@code 00 02} (partial). */
    void resyncEnded(PeerSession s, boolean complete) {
        resync.ended(s, complete, remotes.values(), clock());
    }

    /** The handshake answer was not 200: 300 is retried like a closed session, errors are never redialled. */
    void refused(RemotePeer r, int code) {
        log("peer " + r.name + " answered " + code + " to the handshake");
        r.lastStatus = switch (code) {
            case Handshake.TRY_AGAIN -> "RETR";
            case Handshake.BAD_PROTOCOL -> "PROT";
            case Handshake.BAD_VERSION -> "VERS";
            case Handshake.BAD_LOCAL_NAME -> "NAME";
            case Handshake.UNKNOWN_PEER -> "UNKN";
            default -> "NONE";
        };
        if (code != Handshake.TRY_AGAIN) {
            r.gaveUp = true;
        }
    }

    void down(PeerSession s) {
        RemotePeer r = s.remote();
        resync.down(s);
        if (r != null && r.session == s) {
            r.session = null;
            r.nextDial = clock() + 50 + ThreadLocalRandom.current().nextInt(2000);
        }
    }

    private void tick() {
        long now = clock();
        for (RemotePeer r : remotes.values()) {
            if (r.session != null) {
                r.session.tick(now);
            } else if (!r.dialing && !r.gaveUp && !stopped && now >= r.nextDial) {
                dial(r);
            }
        }
        RemotePeer l = localPeer;
        if (l.session != null) {
            l.session.tick(now);
        } else if (handOver != null && !handOver.isDone() && !l.dialing && now >= l.nextDial) {
            // the new process may not listen yet: HAProxy redials the local peer every 500 ms
            l.nextDial = now + 500;
            dial(l);
        }
        resync.tick(remotes.values(), now);
    }

    private void dial(RemotePeer r) {
        r.dialing = true;
        r.lastStatus = "CONN";
        // HAProxy counts every session it creates to call the peer, answered or not
        r.newConn++;
        PeerSession s = new PeerSession(this, r);
        ChannelFuture f = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(s).connect(r.address);
        f.addListener(x -> {
            r.dialing = false;
            if (!x.isSuccess() && !r.local) {
                r.nextDial = clock() + REFUSED_REDIAL_MS;
            }
        });
    }

    private void pushAll() {
        pushScheduled.set(false);
        for (RemotePeer r : remotes.values()) {
            if (r.session != null) {
                r.session.pump();
            }
        }
    }
}
