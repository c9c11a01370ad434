package io.berth.config;

import io.berth.model.Location;
import io.berth.model.PeersSpec;
import io.berth.model.StickTableSpec;

import java.util.ArrayList;
import java.util.List;

/** A {@code peers} section while it is parsed. Parser thread only. */
public final class PeersDraft {
    public final String name;
    public final Location location;
    public final List<PeersSpec.Peer> peers = new ArrayList<>();
    public boolean disabled;
    /** The section's {@code table} lines, named {@code SECTION/NAME}, in order. */
    public final List<StickTableSpec> tables = new ArrayList<>();
    /** The 2.x form's {@code bind ADDR:PORT}: the local peer's address, given to a {@code server NAME} line. */
    public String bindHost;
    public int bindPort;

    public PeersDraft(String name, Location location) {
        this.name = name;
        this.location = location;
    }

    public PeersSpec freeze() {
        return new PeersSpec(name, location, peers, disabled, tables);
    }
}
