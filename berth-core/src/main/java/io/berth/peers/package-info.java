/** HAProxy's peers protocol: sessions with the other members of a {@code peers} section and table replication. */
package io.berth.peers;
