package io.berth.proxy.listen;

import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeFrontend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Global {@code maxconn} and frontend {@code maxconn}: when a limit is reached the listeners concerned stop
 * accepting (their listening socket is no longer read, so new connections wait in the kernel's backlog) and they
 * resume as soon as a connection closes below the limit, as HAProxy's {@code limit_listener} / {@code
 * resume_listener} (src/listener.c). One per {@link ProxyServer}; the counts span reloads (connections keep their
 * slot whatever runtime accepted them), the limits are read from the runtime of the moment.
 *
 * <p>Each listener has a {@link Gate} in its server-channel pipeline, before Netty's acceptor. One read of a
 * listening socket may accept several connections at once: the gate lets through those under the limits and holds
 * the rest, unregistered and unread, until slots free up (as if they were still in the backlog). Gates run on their
 * listener's event loop; counts are atomics; a closing connection wakes every gate on its own loop.
 */
final class ConnectionLimits {
    private final Supplier<Runtime> runtime;
    private final AtomicInteger global = new AtomicInteger();
    private final Map<String, AtomicInteger> frontends = new ConcurrentHashMap<>();
    private final List<Gate> gates = new CopyOnWriteArrayList<>();

    ConnectionLimits(Supplier<Runtime> runtime) {
        this.runtime = runtime;
    }

    /** A new gate for one listener of {@code frontend}. */
    Gate gate(String frontend) {
        Gate g = new Gate(frontend);
        gates.add(g);
        return g;
    }

    /** Connections counted against the global limit right now. */
    int current() {
        return global.get();
    }

    /** Takes a slot for {@code frontend} when both limits allow it. Any thread. */
    private boolean admit(String frontend) {
        Runtime rt = runtime.get();
        int globalMax = rt.config().global().maxconn();
        RuntimeFrontend fe = rt.frontend(frontend);
        int feMax = fe == null ? 0 : fe.spec().maxconn();
        AtomicInteger feCount = frontends.computeIfAbsent(frontend, k -> new AtomicInteger());
        if (globalMax > 0 && global.incrementAndGet() > globalMax) {
            global.decrementAndGet();
            return false;
        } else if (globalMax <= 0) {
            global.incrementAndGet();
        }
        if (feMax > 0 && feCount.incrementAndGet() > feMax) {
            feCount.decrementAndGet();
            global.decrementAndGet();
            return false;
        } else if (feMax <= 0) {
            feCount.incrementAndGet();
        }
        return true;
    }

    private void released(String frontend) {
        global.decrementAndGet();
        frontends.get(frontend).decrementAndGet();
        for (Gate g : gates) {
            g.wake();
        }
    }

    /** Forgets the gate of a closed listener. */
    void remove(Gate g) {
        gates.remove(g);
    }

    /** The accept gate of one listening socket. */
    final class Gate extends ChannelInboundHandlerAdapter {
        private final String frontend;
        private final ArrayDeque<Channel> held = new ArrayDeque<>();
        private volatile ChannelHandlerContext ctx;

        private Gate(String frontend) {
            this.frontend = frontend;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            ctx.channel().closeFuture().addListener(f -> {
                remove(this);
                ctx.executor().execute(() -> {
                    while (!held.isEmpty()) {
                        held.poll().close(); // never accepted for real: gone with the listener
                    }
                });
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            if (held.isEmpty() && admit(frontend)) {
                pass(ctx, child);
                return;
            }
            held.add(child);
            ctx.channel().config().setAutoRead(false); // limit reached: stop accepting
        }

        private void pass(ChannelHandlerContext ctx, Channel child) {
            child.closeFuture().addListener(f -> released(frontend));
            ctx.fireChannelRead(child);
        }

        /** A slot may have freed: hand held connections on, then accept again if still under the limits. */
        private void wake() {
            ChannelHandlerContext c = ctx;
            if (c == null || !c.channel().isOpen() || c.channel().config().isAutoRead() && held.isEmpty()) {
                return;
            }
            c.executor().execute(() -> {
                while (!held.isEmpty() && admit(frontend)) {
                    pass(c, held.poll());
                }
                if (held.isEmpty() && !c.channel().config().isAutoRead()) {
                    c.channel().config().setAutoRead(true); // resume accepting (reads the backlog)
                }
            });
        }
    }
}
