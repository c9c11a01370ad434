package io.berth.model;

import java.util.List;
import java.util.Optional;

/**
 * One whole configuration, as read from every {@code -f} file in order.
 * A {@code listen} section yields one {@link FrontendSpec} and one {@link BackendSpec} of the same name
 * (the frontend's default backend is that backend).
 */
public record Config(GlobalSpec global, List<FrontendSpec> frontends, List<BackendSpec> backends, List<PeersSpec> peers) {
    public Config {
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        peers = List.copyOf(peers);
    }

    public Optional<BackendSpec> backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public Optional<FrontendSpec> frontend(String name) {
        return frontends.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
