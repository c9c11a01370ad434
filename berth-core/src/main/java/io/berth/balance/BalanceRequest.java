package io.berth.balance;

import java.net.InetAddress;

/**
 * What a balancer may read from a request to choose a server. Implemented by the data plane's transaction;
 * values are computed lazily by the implementation, so an algorithm that needs none costs nothing.
 */
public interface BalanceRequest {
    /** The client's address (for {@code balance source}); null when not an IP client. */
    InetAddress sourceAddress();

    /** The request target as received (path and query), e.g. {@code /a/b?x=1}; null in TCP mode. */
    String uri();

    /** First occurrence of header {@code name} (case-insensitive), whole value; null when absent or TCP. */
    String header(String name);

    /** Value of query parameter {@code name} (up to the next {@code &}); null when absent or TCP. */
    String urlParam(String name);
}
