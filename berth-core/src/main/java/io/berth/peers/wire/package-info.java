/** The peers protocol on the wire: varints, framing, handshake lines, control and stick-table messages. */
package io.berth.peers.wire;
