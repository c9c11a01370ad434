package io.berth.proxy.http;

import io.berth.server.Server;
import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Idle keep-alive server connections of one event loop, per server (HAProxy's idle connection lists with
 * {@code http-reuse safe}). Each loop has its own pool, so no locking and a reused connection is always on the
 * loop of the client connection that takes it. Only connections whose previous response was read completely are
 * put here. Event-loop confined.
 */
final class BackendPool {
    /** Idle connections kept per server and loop; more are closed. */
    static final int MAX_IDLE_PER_SERVER = 64;

    private static final FastThreadLocal<BackendPool> POOLS = new FastThreadLocal<>() {
        @Override
        protected BackendPool initialValue() {
            return new BackendPool();
        }
    };

    private final Map<Server, ArrayDeque<Channel>> idle = new HashMap<>();

    /** The pool of the calling event loop. */
    static BackendPool current() {
        return POOLS.get();
    }

    /**
     * Takes an idle connection to {@code server}: {@code preferred} (the client connection's previous one) when it
     * is idle for this server, else the most recently used one; null when none is alive.
     */
    Channel acquire(Server server, Channel preferred) {
        ArrayDeque<Channel> q = idle.get(server);
        if (q == null) {
            return null;
        }
        if (preferred != null && q.remove(preferred) && preferred.isActive()) {
            return preferred;
        }
        Channel c;
        while ((c = q.pollLast()) != null) {
            if (c.isActive()) {
                return c;
            }
        }
        return null;
    }

    void release(Server server, Channel channel) {
        ArrayDeque<Channel> q = idle.computeIfAbsent(server, s -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE_PER_SERVER || !channel.isActive()) {
            channel.close();
            return;
        }
        q.addLast(channel);
    }

    void remove(Server server, Channel channel) {
        ArrayDeque<Channel> q = idle.get(server);
        if (q != null) {
            q.remove(channel);
        }
    }

    int idleCount(Server server) {
        ArrayDeque<Channel> q = idle.get(server);
        return q == null ? 0 : q.size();
    }

    /** Closes every idle connection (stop). */
    void closeAll() {
        for (Iterator<ArrayDeque<Channel>> it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Channel> q = it.next();
            q.forEach(Channel::close);
            it.remove();
        }
    }
}
