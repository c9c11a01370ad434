package io.berth.proxy.listen;

import io.berth.model.BindSpec;
import io.berth.model.FrontendSpec;
import io.berth.model.Mode;
import io.berth.proxy.Session;
import io.berth.proxy.http.FrontendHttpInitializer;
import io.berth.proxy.tcp.TcpFrontendInitializer;
import io.berth.proxy.tls.FrontendTransport;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeFrontend;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The data plane's entry point: binds every {@code bind} of every frontend and serves connections with the
 * runtime published at accept time. The listening sockets are independent of the runtime: {@link #publish}
 * swaps the runtime (one volatile write) without rebinding, and each connection keeps the runtime it was accepted
 * under. Started and stopped from the caller's thread; accepting runs on the event loops.
 *
 * <pre>
 *   ProxyServer proxy = ProxyServer.start(runtime, 0);   // one event loop per core
 *   int port = proxy.port("fe");
 *   proxy.stop(Duration.ofSeconds(5));
 * </pre>
 */
public final class ProxyServer {
    /** One bound {@code bind} line. */
    public record Listener(String frontend, BindSpec bind, Channel channel) {
        public InetSocketAddress address() {
            return (InetSocketAddress) channel.localAddress();
        }
    }

    private final EventLoops loops;
    private final List<Listener> listeners = new ArrayList<>();
    private final ChannelGroup clients = new DefaultChannelGroup("berth-clients", GlobalEventExecutor.INSTANCE);
    private volatile Runtime runtime;
    /** Listeners bound while set do not accept until {@link #resumeAccepting} (reload by process replacement). */
    private volatile boolean paused;
    /** Global and frontend {@code maxconn}: listeners pause at the limit (failover2). */
    private final ConnectionLimits limits = new ConnectionLimits(() -> this.runtime);

    private ProxyServer(EventLoops loops, Runtime runtime) {
        this.loops = loops;
        this.runtime = runtime;
    }

    /**
     * Binds every frontend's addresses and starts serving.
     *
     * @param eventLoops number of event loops; 0 = one per core
     * @throws IllegalStateException when an address cannot be bound (everything bound so far is released)
     */
    public static ProxyServer start(Runtime runtime, int eventLoops) {
        return start(runtime, eventLoops, false);
    }

    /**
     * {@link #start(Runtime, int)}, optionally paused: the sockets are bound (with {@code SO_REUSEPORT} on epoll,
     * so next to a previous process still listening) but nothing is accepted until {@link #resumeAccepting};
     * connections wait in the kernel's backlog meanwhile, none is refused. The new process of a reload by
     * process replacement starts so and resumes once the old process handed its stick tables over.
     */
    public static ProxyServer start(Runtime runtime, int eventLoops, boolean paused) {
        int n = eventLoops > 0 ? eventLoops : runtime.config().global().nbthread();
        ProxyServer server = new ProxyServer(EventLoops.create(n), runtime);
        server.paused = paused;
        try {
            for (RuntimeFrontend fe : runtime.frontends()) {
                for (BindSpec bind : fe.spec().binds()) {
                    server.bind(fe.spec(), bind);
                }
            }
        } catch (RuntimeException e) {
            server.stop(Duration.ZERO);
            throw e;
        }
        return server;
    }

    private void bind(FrontendSpec fe, BindSpec bind) {
        String name = fe.name();
        // TLS contexts (certificates, SNI) are built once per listener; null for a plain HTTP/1.1 or TCP bind.
        FrontendTransport transport = FrontendTransport.forBind(fe, bind);
        ServerBootstrap b = new ServerBootstrap().group(loops.group()).channel(loops.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, !paused)
                .childOption(ChannelOption.AUTO_READ, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(limits.gate(name))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accept(name, ch, transport);
                    }
                });
        if (loops.isEpoll()) {
            // HAProxy binds with SO_REUSEPORT so that the next process of a reload (-sf) binds next to this one
            b.option(io.netty.channel.epoll.EpollChannelOption.SO_REUSEPORT, true);
        }
        InetSocketAddress address = address(bind);
        try {
            Channel ch = b.bind(address).syncUninterruptibly().channel();
            listeners.add(new Listener(name, bind, ch));
        } catch (Exception e) {
            throw new IllegalStateException("Starting frontend " + name + ": cannot bind socket [" + bind.host() + ":"
                    + bind.port() + "]: " + e.getMessage(), e);
        }
    }

    static InetSocketAddress address(BindSpec bind) {
        String host = bind.host();
        if (host == null || host.isEmpty() || host.equals("*") || host.equals("0.0.0.0")) {
            return new InetSocketAddress(bind.port());
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), bind.port());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve bind address '" + host + "'", e);
        }
    }

    /** Runs on the new connection's event loop: picks the runtime of the moment and installs the mode's pipeline. */
    private void accept(String frontendName, SocketChannel ch, FrontendTransport transport) {
        Runtime rt = runtime;
        RuntimeFrontend fe = rt.frontend(frontendName);
        if (fe == null) {
            ch.close();
            return;
        }
        rt.currentConns.incrementAndGet();
        fe.currentConns.incrementAndGet();
        fe.totalConns.incrementAndGet();
        clients.add(ch);
        Session session = new Session(rt, fe, loops.socketChannelClass(), ch.remoteAddress(), ch.localAddress());
        rt.sessions.add(session);
        ch.closeFuture().addListener(f -> session.releaseCounters());
        if (!io.berth.proxy.TcpRuleStep.accept(session, ch)) {
            return; // tcp-request connection/session reject: closed before any byte
        }
        fe.totalSessions.incrementAndGet();
        if (transport != null) {
            transport.install(ch, session, fe.spec().mode());
        } else if (fe.spec().mode() == Mode.TCP) {
            TcpFrontendInitializer.install(ch, session);
        } else {
            FrontendHttpInitializer.install(ch, session);
        }
    }

    /** The event loops serving traffic; health checks run on them too (no thread per server). */
    public io.netty.channel.EventLoopGroup eventLoopGroup() {
        return loops.group();
    }

    /**
     * Reload: publishes {@code next} and brings the listeners in line with its binds. A listener whose frontend
     * name and address are unchanged is kept as it is (no connection is refused during a reload); listeners that
     * are gone are closed first (so an address moving to another frontend can be bound again), new ones bound.
     * Connections already accepted keep the runtime they were accepted under. One reload at a time.
     *
     * @throws IllegalStateException when a new address cannot be bound (the new runtime is published anyway:
     *                               the caller reports it, as HAProxy reports a listener it could not start)
     */
    public synchronized void reload(Runtime next) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (RuntimeFrontend fe : next.frontends()) {
            for (BindSpec bind : fe.spec().binds()) {
                wanted.add(fe.name() + " " + address(bind));
            }
        }
        java.util.Set<String> bound = new java.util.HashSet<>();
        for (Listener l : List.copyOf(listeners)) {
            String key = l.frontend() + " " + address(l.bind());
            if (wanted.contains(key)) {
                bound.add(key);
            } else {
                l.channel().close().syncUninterruptibly();
                listeners.remove(l);
            }
        }
        this.runtime = next;
        for (RuntimeFrontend fe : next.frontends()) {
            for (BindSpec bind : fe.spec().binds()) {
                if (!bound.contains(fe.name() + " " + address(bind))) {
                    bind(fe.spec(), bind);
                }
            }
        }
    }

    /** Starts accepting on listeners bound paused ({@link #start(Runtime, int, boolean)}). */
    public void resumeAccepting() {
        paused = false;
        for (Listener l : listeners) {
            l.channel().config().setAutoRead(true);
        }
    }

    /**
     * Closes the listening sockets only (soft stop of the old process of a reload by process replacement: the
     * new process, bound with {@code SO_REUSEPORT}, takes every new connection); connections already accepted
     * keep being served until {@link #stop}.
     */
    public void closeListeners() {
        for (Listener l : listeners) {
            l.channel().close().syncUninterruptibly();
        }
    }

    /** Publishes a new runtime: connections accepted from now on use it; existing ones keep theirs. */
    public void publish(Runtime next) {
        this.runtime = next;
    }

    public Runtime runtime() {
        return runtime;
    }

    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    /** Addresses bound for {@code frontend}, in bind order. */
    public List<InetSocketAddress> boundAddresses(String frontend) {
        return listeners.stream().filter(l -> l.frontend().equals(frontend)).map(Listener::address).toList();
    }

    /** The port of the first bind of {@code frontend} (tests bind port 0 and ask here). */
    public int port(String frontend) {
        List<InetSocketAddress> a = boundAddresses(frontend);
        if (a.isEmpty()) {
            throw new IllegalArgumentException("no listener for frontend '" + frontend + "'");
        }
        return a.get(0).getPort();
    }

    /** Connections currently open on the client side (all frontends). */
    public int clientConnections() {
        return clients.size();
    }

    /**
     * Stops accepting, lets in-flight requests finish within {@code grace} (idle HTTP connections close at once,
     * busy ones after their current response), then closes whatever is left and stops the event loops.
     */
    public void stop(Duration grace) {
        for (Listener l : listeners) {
            l.channel().close().syncUninterruptibly();
        }
        clients.forEach(ch -> ch.pipeline().fireUserEventTriggered(FrontendHttpInitializer.DRAIN));
        if (!grace.isZero() && !clients.isEmpty()) {
            clients.newCloseFuture().awaitUninterruptibly(grace.toMillis());
        }
        clients.close().awaitUninterruptibly(1000);
        loops.shutdown(Duration.ofMillis(100));
    }
}
