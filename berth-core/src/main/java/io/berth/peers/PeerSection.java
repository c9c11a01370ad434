package io.berth.peers;

import io.berth.model.PeersSpec;
import io.berth.peers.wire.Control;
import io.berth.peers.wire.Handshake;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The live form of one {@code peers} section: listens on the local peer's address, dials every other peer,
 * keeps at most one session per remote peer (a new incoming one replaces it), redials with HAProxy 2.6's timers,
 * and runs the startup resync (src/peers.c {@code process_peer_sync}). Everything here runs on one event loop
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
        PeerSession session;
        boolean dialing;
        boolean gaveUp;
        long nextDial;

        RemotePeer(String name, InetSocketAddress address) {
            this.name = name;
            this.address = address;
        }
    }

    private final String localName;
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final Map<String, RemotePeer> remotes = new LinkedHashMap<>();
    private final TableSync sync;
    private final Consumer<String> log;
    private final Set<String> resyncTried = new HashSet<>();
    private final AtomicBoolean pushScheduled = new AtomicBoolean();
    private final long started;
    private volatile boolean upToDate;
    private PeerSession resyncSource;
    private long resyncDeadline;
    private Channel server;
    private ScheduledFuture<?> ticker;
    private volatile boolean stopped;

    private PeerSection(PeersSpec spec, String localName, Collection<StickTable> tables, EventLoop loop,
                        Class<? extends Channel> channelClass, Consumer<String> log) {
        this.localName = localName;
        this.loop = loop;
        this.channelClass = channelClass;
        this.log = log;
        for (PeersSpec.Peer p : spec.peers()) {
            if (!p.name().equals(localName)) {
                remotes.put(p.name(), new RemotePeer(p.name(), new InetSocketAddress(p.host(), p.port())));
            }
        }
        this.sync = new TableSync(tables, remotes.keySet(), TableSync.DEFAULT_BACKLOG);
        this.started = clock();
        this.upToDate = remotes.isEmpty();
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
        PeersSpec.Peer local = spec.peers().stream().filter(p -> p.name().equals(localName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Removing incomplete section 'peers " + spec.name()
                        + "' (no peer named '" + localName + "')."));
        EventLoop loop = group.next();
        PeerSection s = new PeerSection(spec, localName, tables, loop, channelClass, log);
        ServerBootstrap b = new ServerBootstrap().group(loop, loop).channel(serverChannelClass)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new PeerSession(s, null));
                    }
                });
        s.server = b.bind(local.host(), local.port()).sync().channel();
        s.ticker = loop.scheduleAtFixedRate(s::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return s;
    }

    public String localName() {
        return localName;
    }

    public TableSync sync() {
        return sync;
    }

    public boolean upToDate() {
        return upToDate;
    }

    /** Where the local peer listens (useful with port 0 in tests). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Queues a locally changed entry for every remote peer; see {@link TableSync#touched}. Any thread. */
    public void touched(StickTable table, int[] key) {
        sync.touched(table, key);
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

    /** Closes the listener and every session; no redial afterwards. */
    public void stop() {
        stopped = true;
        loop.execute(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
            server.close();
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

    boolean isRemote(String name) {
        return remotes.containsKey(name);
    }

    RemotePeer remote(String name) {
        return remotes.get(name);
    }

    /** A session finished its handshake: it becomes the remote's session, replacing any other. */
    void up(PeerSession s) {
        RemotePeer r = s.remote();
        if (r.session != null && r.session != s) {
            PeerSession old = r.session;
            r.session = s;
            old.close();
        }
        r.session = s;
        s.start();
        if (!upToDate && resyncSource == null && !resyncTried.contains(r.name)) {
            requestResync(s);
        }
    }

    private void requestResync(PeerSession s) {
        resyncSource = s;
        resyncDeadline = clock() + RESYNC_TIMEOUT_MS;
        resyncTried.add(s.remote().name);
        s.sendControl(Control.RESYNC_REQUEST);
    }

    /** The peer we asked answered {@code 00 01} (complete) or {@code 00 02} (partial). */
    void resyncEnded(PeerSession s, boolean complete) {
        if (s != resyncSource) {
            return;
        }
        resyncSource = null;
        if (complete) {
            upToDate = true;
            return;
        }
        for (RemotePeer r : remotes.values()) {
            if (r.session != null && r.session.established() && !resyncTried.contains(r.name)) {
                requestResync(r.session);
                return;
            }
        }
        upToDate = true;
    }

    /** The handshake answer was not 200: 300 is retried like a closed session, errors are never redialled. */
    void refused(RemotePeer r, int code) {
        log("peer " + r.name + " answered " + code + " to the handshake");
        if (code != Handshake.TRY_AGAIN) {
            r.gaveUp = true;
        }
    }

    void down(PeerSession s) {
        RemotePeer r = s.remote();
        if (s == resyncSource) {
            resyncSource = null;
        }
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
        if (!upToDate) {
            if (resyncSource != null && now >= resyncDeadline) {
                resyncSource = null;
                upToDate = true;
            } else if (resyncSource == null && now - started >= RESYNC_TIMEOUT_MS) {
                upToDate = true;
            }
        }
    }

    private void dial(RemotePeer r) {
        r.dialing = true;
        PeerSession s = new PeerSession(this, r);
        ChannelFuture f = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(s).connect(r.address);
        f.addListener(x -> {
            r.dialing = false;
            if (!x.isSuccess()) {
                r.nextDial = clock() + REFUSED_REDIAL_MS;
            } else if (r.session == null) {
                r.session = s;
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
