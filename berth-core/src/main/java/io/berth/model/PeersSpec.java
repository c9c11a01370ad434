package io.berth.model;

import java.util.List;

/**
 * A {@code peers NAME} section: its peers (name, address, port) in order and the stick tables declared inside it
 * with {@code table} lines (each named {@code NAME/TABLE}, synced by this section); used by the Peers issue.
 */
public record PeersSpec(String name, Location location, List<Peer> peers, boolean disabled,
                        List<StickTableSpec> tables) {
    public PeersSpec {
        peers = List.copyOf(peers);
        tables = List.copyOf(tables);
    }

    /** A section without {@code table} lines. */
    public PeersSpec(String name, Location location, List<Peer> peers, boolean disabled) {
        this(name, location, peers, disabled, List.of());
    }

    public record Peer(String name, Location location, String host, int port) {
    }
}
