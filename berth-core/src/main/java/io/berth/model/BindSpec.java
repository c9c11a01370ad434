package io.berth.model;

import java.util.List;

/**
 * One {@code bind} address of a frontend: {@code bind [HOST]:PORT[,...] [options]}.
 *
 * @param host    literal IPv4/IPv6 address or host name; "" or "*" or "::" for any address
 * @param port    TCP port
 * @param options words after the address (e.g. {@code ssl crt F}); TLS options are used by the TLS issue
 */
public record BindSpec(Location location, String host, int port, List<String> options) {
    public BindSpec {
        options = List.copyOf(options);
    }
}
