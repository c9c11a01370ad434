/** TCP mode: byte relay between a client and a server with half-close, back-pressure, timeouts and tcplog. */
package io.berth.proxy.tcp;
