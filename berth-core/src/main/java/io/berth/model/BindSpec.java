package io.berth.model;

import java.util.List;

/**
 * One {@code bind} address of a frontend: {@code bind [HOST]:PORT[,...] [options]}.
 *
 * @param host    literal IPv4/IPv6 address or host name; "" or "*" or "::" for any address
 * @param port    TCP port
 * @param options words after the address (e.g. {@code ssl crt F}), as written
 * @param tls     the TLS settings when the line says {@code ssl}, else null
 * @param proto   {@code proto NAME} forced on the bind ({@code h2}: HTTP/2 prior knowledge), else null
 */
public record BindSpec(Location location, String host, int port, List<String> options, TlsBindSpec tls,
                       String proto) {
    public BindSpec {
        options = List.copyOf(options);
    }

    /** A plain bind (no TLS, no forced protocol). */
    public BindSpec(Location location, String host, int port, List<String> options) {
        this(location, host, port, options, null, null);
    }
}
