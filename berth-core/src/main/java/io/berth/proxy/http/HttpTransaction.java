package io.berth.proxy.http;

import io.berth.balance.BalanceRequest;
import io.berth.log.CapturedHeaders;
import io.berth.log.HttpLogEntry;
import io.berth.proxy.Session;
import io.berth.runtime.RuntimeBackend;
import io.berth.sample.SampleContext;
import io.berth.server.Server;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP request/response exchange on a client connection: what rules, conditions and balancers read
 * ({@link SampleContext}, {@link BalanceRequest}) and what the httplog line reports (timers, status, bytes,
 * termination state). Created by {@link FrontendHttpHandler} when request headers arrive and touched only on
 * that connection's event loop.
 */
final class HttpTransaction implements SampleContext, BalanceRequest {
    static final long NEVER = -1;

    final Session session;
    final HttpRequest request;
    final String requestLine;
    private final String version;
    final boolean head;
    RuntimeBackend backend;
    Server server;
    HttpResponse response;
    int status;
    /**
     * The values of the frontend's {@code capture request|response header}s (null: none declared; an entry null
     * while absent), taken from the messages as they arrived, before any rule (as HAProxy captures them).
     */
    String[] requestCaptures;
    String[] responseCaptures;
    /** {@code capture cookie}'s {@code %CC} and {@code %CS}, null when nothing was captured. */
    String requestCookie;
    String responseCookie;
    /** The status the server sent (0 before or without a response): {@code status} may be rewritten by rules. */
    int serverStatus;
    long bytesOut;
    /** First two characters of HAProxy's termination state; {@code --} for a normal end. */
    String termination = "--";
    int retries;
    boolean redispatched;
    /** %sq / %bq: queue positions reported by the retry step (0 when never queued). */
    int srvQueue;
    int backendQueue;
    /** Cookie persistence of the backend (null without) and what it decided for this transaction. */
    io.berth.persist.cookie.CookiePersistence cookiePersistence;
    final io.berth.persist.cookie.CookieState cookie = new io.berth.persist.cookie.CookieState();
    /** The backend's stick rules (null without) and the stores waiting for the response. */
    io.berth.persist.stick.StickRules stickRules;
    final io.berth.persist.stick.StickRules.Pending stick = new io.berth.persist.stick.StickRules.Pending();
    /** The stick counters this request tracks ({@code track-sc*}), null when the runtime has no stick table. */
    io.berth.persist.stick.StickCounters counters;

    final long startNanos;
    final long startEpochMillis;
    final long headersNanos;
    long tw = NEVER;
    long tc = NEVER;
    long requestSentNanos;
    long tr = NEVER;

    /**
     * @param version the client's protocol as HAProxy names it: {@code HTTP/1.1}, {@code HTTP/1.0}, or
     *                {@code HTTP/2.0} for a stream of an HTTP/2 connection (which reaches here translated to 1.1)
     */
    HttpTransaction(Session session, HttpRequest request, String version, long startNanos, long startEpochMillis) {
        this.session = session;
        this.request = request;
        this.version = version;
        this.requestLine = request.method().name() + " " + request.uri() + " " + version;
        this.head = request.method().name().equals("HEAD");
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        this.headersNanos = System.nanoTime();
    }

    static long millisSince(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    HttpLogEntry logEntry(long endNanos) {
        RuntimeBackend be = backend;
        String feName = session.frontend().name();
        return new HttpLogEntry(session.clientIp(), session.clientPort(), startEpochMillis, feName,
                be == null ? feName : be.name(), server == null ? "<NOSRV>" : server.name(),
                millisSince(startNanos, headersNanos), tw, tc, tr, millisSince(startNanos, endNanos), status, bytesOut,
                requestCookie == null ? "-" : requestCookie, responseCookie == null ? "-" : responseCookie,
                termination + CookieStep.letters(this), session.runtime().currentConns.get(),
                session.frontend().currentConns.get(), be == null ? 0 : be.currentConns.get(),
                server == null ? 0 : server.currentConns.get(), retries, redispatched, srvQueue, backendQueue, requestLine,
                CapturedHeaders.render(requestCaptures, responseCaptures));
    }

    // ---- SampleContext

    @Override
    public InetSocketAddress source() {
        return session.client();
    }

    @Override
    public InetSocketAddress destination() {
        return session.local();
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String uri() {
        return request.uri();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<String> requestHeaders(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public List<String> responseHeaders(String name) {
        return response == null ? List.of() : response.headers().getAll(name);
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String serverName() {
        return server == null ? null : server.name();
    }

    @Override
    public int serverId() {
        return server == null ? 0 : server.id();
    }

    @Override
    public String backendName() {
        return backend == null ? null : backend.name();
    }

    @Override
    public String frontendName() {
        return session.frontend().name();
    }

    @Override
    public io.berth.sample.TrackedCounters trackedCounters() {
        return counters;
    }

    @Override
    public FrontendTlsFacts frontendTls() {
        io.berth.proxy.TlsSession t = session.tls();
        return t == null ? null : new FrontendTlsFacts(t.sni(), t.protocol(), t.cipher(), t.alpn());
    }

    // ---- BalanceRequest

    @Override
    public InetAddress sourceAddress() {
        return session.client() == null ? null : session.client().getAddress();
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public String urlParam(String name) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        // HAProxy takes the raw value up to the next '&', without decoding.
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }
}
