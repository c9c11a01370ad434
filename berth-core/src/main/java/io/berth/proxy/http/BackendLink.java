package io.berth.proxy.http;

import io.berth.proxy.IdleTimer;
import io.berth.server.Server;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;

/**
 * The server connection the current transaction of one client connection uses, from the hand-off by the
 * connector to its end: the channel and its {@link BackendHttpHandler}, whether the request head went out so body
 * parts may follow ({@link #ready()}), {@code timeout server} ({@link IdleTimer}, touched on every read and write),
 * server reading switched with the client's writability (back-pressure), and at the end back to the
 * {@link BackendPool} or closed. It remembers the last pooled connection, which the next request prefers ({@code
 * http-reuse safe}). Owned by the client connection's {@link TransactionRelay} (one per client connection, reused for
 * each transaction); event-loop confined, the loop the client and server connections share.
 */
final class BackendLink {
    private Channel channel;
    private BackendHttpHandler handler;
    private boolean ready;
    private IdleTimer timer;
    /** The server connection pooled by the previous transaction, preferred when reusing. */
    private Channel last;

    /**
     * Hooks the server connection {@code ch} to {@code exchange}: its responses go there from now, it reads only while
     * the client is writable, and {@code serverTimer} ({@code timeout server}) starts.
     */
    void attach(Server server, Channel ch, BackendHttpHandler.Exchange exchange, boolean headRequest,
            boolean clientWritable, IdleTimer serverTimer) {
        channel = ch;
        handler = BackendHttpHandler.of(ch);
        handler.server = server;
        handler.attach(exchange, headRequest);
        ch.config().setAutoRead(clientWritable);
        timer = serverTimer;
        timer.start();
    }

    /** The request head was written: body parts may go to the server now. */
    void markReady() {
        ready = true;
    }

    boolean attached() {
        return channel != null;
    }

    boolean ready() {
        return ready;
    }

    /** True unless a server connection is attached and its write buffer is full. */
    boolean writable() {
        return channel == null || channel.isWritable();
    }

    /** The server said something: {@code timeout server} counts from now. */
    void touch() {
        timer.touch();
    }

    /** Writes a request body part (not flushed); {@code timeout server} counts from now. */
    void write(HttpContent c) {
        timer.touch();
        channel.write(c);
    }

    void flush() {
        channel.flush();
    }

    /** Sends what was written, when a server connection is attached and has the request head. */
    void flushIfReady() {
        if (channel != null && ready) {
            channel.flush();
        }
    }

    /** The client's writability changed: the server is read only while the client can take more. */
    void clientWritable(boolean writable) {
        if (channel != null) {
            channel.config().setAutoRead(writable);
        }
    }

    /** The client's buffer is full: stop reading the server until it drains. */
    void pauseReading() {
        channel.config().setAutoRead(false);
    }

    /**
     * The server connection closed by itself: unhooked, and the termination letter if a server state change cut it
     * ({@code D}/{@code U}, see {@link io.berth.health.ServerSessions#killLetter}), else null.
     */
    String closed() {
        String killed = io.berth.health.ServerSessions.killLetter(channel);
        channel = null;
        ready = false;
        return killed;
    }

    /** Unhooks the server connection from the transaction (its timer stopped) and returns it, or null. */
    private Channel detach() {
        if (timer != null) {
            timer.stop();
        }
        Channel ch = channel;
        channel = null;
        ready = false;
        if (ch != null) {
            handler.detach();
        }
        return ch;
    }

    /** Unhooks the server connection and hands it to the caller (to close, or to a tunnel), or returns null. */
    Channel take() {
        Channel ch = detach();
        handler = null;
        return ch;
    }

    /** Ends the server side of the transaction: the connection goes back to the pool when reusable, else closes. */
    void release(boolean reusable) {
        Channel ch = detach();
        if (ch == null) {
            return;
        }
        if (reusable && ch.isActive()) {
            ch.config().setAutoRead(true);
            BackendPool.current().release(handler.server, ch);
            last = ch;
        } else {
            ch.close();
        }
        handler = null;
    }

    /** The server connection the previous transaction pooled (perhaps closed or taken since), or null. */
    Channel preferred() {
        return last;
    }
}
