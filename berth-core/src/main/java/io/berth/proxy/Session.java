package io.berth.proxy;

import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeFrontend;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;

/**
 * One accepted client connection: the runtime it was accepted under (kept for its whole life, so a reload never
 * changes a connection midway), its frontend, its addresses and when it arrived. Created by the listener on the
 * connection's event loop and only touched there, except {@link #draining} which a stop may set from any thread.
 */
public final class Session implements io.berth.runtime.LiveSession {
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    private final long id = IDS.incrementAndGet();
    /** The backend and server of the current or last request, for {@code show sess} (CLI thread reads). */
    private volatile String backendName;
    private volatile String serverName;
    private final Runtime runtime;
    private final RuntimeFrontend frontend;
    private final Class<? extends SocketChannel> backendChannelClass;
    private final InetSocketAddress client;
    private final InetSocketAddress local;
    private final long acceptNanos = System.nanoTime();
    private final long acceptEpochMillis = System.currentTimeMillis();
    private volatile boolean draining;
    /** Set on the connection's event loop once actconn/feconn no longer count this connection. */
    private boolean countersReleased;
    /** Set by proxy/tls once the client's TLS handshake completes; null on a plain connection. */
    private TlsSession tls;
    private int requests;

    public Session(Runtime runtime, RuntimeFrontend frontend, Class<? extends SocketChannel> backendChannelClass,
                   InetSocketAddress client, InetSocketAddress local) {
        this.runtime = runtime;
        this.frontend = frontend;
        this.backendChannelClass = backendChannelClass;
        this.client = client;
        this.local = local;
    }

    /** Called once when the client connection closes: it stops counting in actconn and feconn. */
    public void releaseCounters() {
        if (!countersReleased) {
            countersReleased = true;
            runtime.sessions.remove(this);
            frontend.currentConns.decrementAndGet();
            runtime.currentConns.decrementAndGet();
        }
    }

    /**
     * What to add to actconn/feconn to count this connection again: 1 once its counters were released, else 0. HAProxy
     * logs a TCP session at its end with itself still counted ({@code 1/1/0/0/0} for a lone connection), while
     * here the close future may release the counters before the log line is built: add this back.
     */
    public int releasedShare() {
        return countersReleased ? 1 : 0;
    }

    public Runtime runtime() {
        return runtime;
    }

    public RuntimeFrontend frontend() {
        return frontend;
    }

    public Class<? extends SocketChannel> backendChannelClass() {
        return backendChannelClass;
    }

    @Override
    public InetSocketAddress client() {
        return client;
    }

    public InetSocketAddress local() {
        return local;
    }

    public long acceptNanos() {
        return acceptNanos;
    }

    public long acceptEpochMillis() {
        return acceptEpochMillis;
    }

    /** True once the proxy is stopping: finish the current request, then close instead of keeping alive. */
    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }

    /** Counts a request on this client connection (all its HTTP/2 streams together); returns the count so far. */
    public int countRequest() {
        return ++requests;
    }

    /** The client connection's TLS facts, or null when it is not TLS (or the handshake is not done). */
    public TlsSession tls() {
        return tls;
    }

    public void tls(TlsSession tls) {
        this.tls = tls;
    }

    /** Client IP as text, HAProxy style (IPv4-mapped IPv6 addresses shown as IPv4). */
    public String clientIp() {
        return client == null ? "-" : client.getAddress().getHostAddress();
    }

    public int clientPort() {
        return client == null ? 0 : client.getPort();
    }

    /** Records where the current request goes, for {@code show sess}. */
    public void routedTo(String backend, String server) {
        this.backendName = backend;
        this.serverName = server;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String frontendName() {
        return frontend.name();
    }

    @Override
    public String backend() {
        return backendName;
    }

    @Override
    public String server() {
        return serverName;
    }

    @Override
    public long ageMillis() {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acceptNanos);
    }
}
