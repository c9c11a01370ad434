/** TLS on the data plane: certificates and SNI on binds, ALPN choosing HTTP/1.1 or HTTP/2, TLS to servers. */
package io.berth.proxy.tls;
