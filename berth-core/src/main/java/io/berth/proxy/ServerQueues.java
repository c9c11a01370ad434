package io.berth.proxy;

import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code maxconn} slots and pending queues of one backend: a FIFO per server with {@code maxconn} (requests
 * assigned to a full server, by persistence or by a hash) and one for the backend (requests no server could take
 * because every usable one was full), as HAProxy's src/queue.c. A freed slot goes to the oldest request waiting for
 * that server or for the backend, and the server's {@code currentConns} does not move: the slot changes hands.
 * Requests come from every event loop, so one lock per backend guards the counts of its maxconn servers and its
 * queues; a granted waiter is woken on its own loop. Servers without {@code maxconn} never queue and only count.
 *
 * <p>Queue positions for the log (%sq/%bq) follow HAProxy's {@code queue->idx}: each dequeue advances the queue's
 * index, and a request leaving the queue (served or timed out) logs how many were dequeued since it was added, plus
 * one. Example: alone in the queue and timed out → 1 (e14's {@code 0/1}).
 */
final class ServerQueues {
    /** One request waiting; implemented by {@link BackendConnector}, which keeps it on its own event loop. */
    interface Waiter {
        /** Enqueue order over all queues of the process: older waiters are served first. */
        long order();

        /** A slot on {@code server} is now this waiter's (already counted); runs on any thread. */
        void granted(Server server, int position);
    }

    enum Result { GRANTED, QUEUED, FULL }

    private static final Map<RuntimeBackend, ServerQueues> BY_BACKEND =
            Collections.synchronizedMap(new WeakHashMap<>());
    private static final java.util.concurrent.atomic.AtomicLong ORDER = new java.util.concurrent.atomic.AtomicLong();

    private static final class Queue {
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        final Map<Waiter, Long> addedAt = new IdentityHashMap<>();
        long idx;
    }

    private final Queue backendQueue = new Queue();
    private final Map<Server, Queue> serverQueues = new IdentityHashMap<>();

    static ServerQueues of(RuntimeBackend backend) {
        return BY_BACKEND.computeIfAbsent(backend, b -> new ServerQueues());
    }

    static long nextOrder() {
        return ORDER.incrementAndGet();
    }

    /**
     * Takes a slot on {@code s} for {@code w}: at once when the server has no {@code maxconn}, or has room and
     * nobody waits for it; else {@code w} joins the server's queue, unless {@code maxqueue} is reached (FULL).
     */
    Result acquire(Server s, Waiter w) {
        int max = s.spec().maxconn();
        if (max <= 0) {
            s.currentConns.incrementAndGet();
            return Result.GRANTED;
        }
        synchronized (this) {
            Queue q = serverQueues.computeIfAbsent(s, k -> new Queue());
            if (q.waiters.isEmpty() && s.currentConns.get() < max) {
                s.currentConns.incrementAndGet();
                return Result.GRANTED;
            }
            int maxqueue = s.spec().maxqueue();
            if (maxqueue > 0 && q.waiters.size() >= maxqueue) {
                return Result.FULL;
            }
            add(q, w);
            return Result.QUEUED;
        }
    }

    /** Queues {@code w} on the backend: no usable server had a free slot. */
    synchronized void enqueueBackend(Waiter w) {
        add(backendQueue, w);
    }

    private static void add(Queue q, Waiter w) {
        q.waiters.add(w);
        q.addedAt.put(w, q.idx);
    }

    /**
     * Gives {@code s}'s slot back: to the oldest waiter of the server's queue or the backend's queue when there
     * is one (it is woken with the slot), else the count drops.
     */
    void release(Server s) {
        if (s.spec().maxconn() <= 0) {
            s.currentConns.decrementAndGet();
            return;
        }
        Waiter next;
        int position;
        synchronized (this) {
            Queue sq = serverQueues.get(s);
            Waiter a = sq == null ? null : sq.waiters.peek();
            Waiter b = s.isUsable() ? backendQueue.waiters.peek() : null;
            Queue from = a == null ? (b == null ? null : backendQueue)
                    : (b == null || a.order() < b.order() ? sq : backendQueue);
            if (from == null) {
                s.currentConns.decrementAndGet();
                return;
            }
            next = from.waiters.poll();
            position = (int) (from.idx - from.addedAt.remove(next) + 1);
            from.idx++;
        }
        next.granted(s, position);
    }

    /**
     * Takes {@code w} out of whichever queue holds it (queue timeout, client gone).
     *
     * @return its log position, or -1 when it was no longer queued (a slot was granted meanwhile)
     */
    synchronized int remove(Waiter w) {
        if (backendQueue.waiters.remove(w)) {
            return (int) (backendQueue.idx - backendQueue.addedAt.remove(w) + 1);
        }
        for (Queue q : serverQueues.values()) {
            if (q.waiters.remove(w)) {
                return (int) (q.idx - q.addedAt.remove(w) + 1);
            }
        }
        return -1;
    }

    /** Requests waiting for {@code s} (HAProxy's {@code qcur} of a server). */
    synchronized int queued(Server s) {
        Queue q = serverQueues.get(s);
        return q == null ? 0 : q.waiters.size();
    }

    /** Requests waiting in the backend queue. */
    synchronized int queuedOnBackend() {
        return backendQueue.waiters.size();
    }
}
