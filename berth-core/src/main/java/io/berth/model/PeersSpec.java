package io.berth.model;

import java.util.List;

/** A {@code peers NAME} section: its peers (name, address, port) in order; used by the Peers issue. */
public record PeersSpec(String name, Location location, List<Peer> peers, boolean disabled) {
    public PeersSpec {
        peers = List.copyOf(peers);
    }

    public record Peer(String name, Location location, String host, int port) {
    }
}
