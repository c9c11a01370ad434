package io.berth.sample;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The facts of one stream/transaction that fetches read. Implemented by the data plane (one per request in
 * HTTP mode, one per connection in TCP mode). Methods return null (or an empty list) when the fact does not
 * exist at this point (no HTTP, no server chosen yet, response not received).
 */
public interface SampleContext {
    InetSocketAddress source();

    InetSocketAddress destination();

    /** Request method, e.g. {@code GET}; null in TCP mode. */
    String method();

    /** Request target as received (path and query). */
    String uri();

    /** Request version, e.g. {@code HTTP/1.1}. */
    String version();

    /** All values of request header {@code name} (case-insensitive), in order, each occurrence whole. */
    List<String> requestHeaders(String name);

    /** All values of response header {@code name}; empty before the response. */
    List<String> responseHeaders(String name);

    /** Response status, or 0 before the response. */
    int status();

    /** Name of the server chosen for this request, or null. */
    String serverName();

    /** Id ({@code puid}) of the server chosen, or 0. */
    int serverId();

    /** Name of the backend serving the request, or null before it is chosen. */
    String backendName();

    /** Name of the frontend that accepted the connection. */
    String frontendName();

    /**
     * Address of the server chosen ({@code %si}/{@code %sp}), or null before one is chosen. Default null so
     * existing implementations keep compiling; the data plane should override it.
     */
    default InetSocketAddress serverAddress() {
        return null;
    }

    /**
     * The stick counters this stream tracks and its runtime's tables, for the {@code sc_*}/{@code src_*} fetches;
     * null where the data plane provides none (those fetches then fail, as without tracking in HAProxy).
     */
    default TrackedCounters trackedCounters() {
        return null;
    }

    /**
     * The client connection's TLS facts ({@code ssl_fc*} fetches): null on a plain connection. Default null so
     * existing implementations keep compiling; the data plane overrides it.
     */
    default FrontendTlsFacts frontendTls() {
        return null;
    }

    /**
     * What the client's TLS handshake settled.
     *
     * @param sni      server name sent by the client, or null
     * @param protocol e.g. {@code TLSv1.3}
     * @param cipher   the negotiated cipher suite
     * @param alpn     the ALPN protocol agreed, or null
     */
    record FrontendTlsFacts(String sni, String protocol, String cipher, String alpn) {
    }
}
