package io.berth.proxy;

/**
 * What the TLS handshake of a client connection settled, for the {@code ssl_fc*} fetches and the log. Immutable;
 * created by {@code proxy/tls} on the connection's event loop when the handshake completes.
 *
 * @param sni      the server name the client asked for, or null without SNI
 * @param protocol {@code TLSv1.3}, {@code TLSv1.2}, ...
 * @param cipher   the negotiated cipher suite (IANA name)
 * @param alpn     the protocol agreed in ALPN ({@code h2}, {@code http/1.1}), or null
 */
public record TlsSession(String sni, String protocol, String cipher, String alpn) {
}
