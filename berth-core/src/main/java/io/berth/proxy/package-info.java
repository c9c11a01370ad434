/** The Netty data plane: listeners and event loops (listen/), the HTTP/1.1 proxy (http/) and the TCP relay (tcp/). */
package io.berth.proxy;
