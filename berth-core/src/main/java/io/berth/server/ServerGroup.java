package io.berth.server;

import io.berth.model.ServerSpec;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The servers of one backend, in declaration order, and the listeners told when any of them changes state or
 * weight (balancers rebuild their immutable snapshots there, never per request).
 */
public final class ServerGroup {
    private final String backendName;
    private final List<Server> servers;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param addresses resolved socket address for each spec, same order
     */
    public ServerGroup(String backendName, List<ServerSpec> specs, List<InetSocketAddress> addresses) {
        this.backendName = backendName;
        List<Server> list = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            list.add(new Server(specs.get(i), this, i, addresses.get(i)));
        }
        this.servers = List.copyOf(list);
    }

    public String backendName() {
        return backendName;
    }

    /** Every server, declaration order. */
    public List<Server> all() {
        return servers;
    }

    public Server byName(String name) {
        for (Server s : servers) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    public Server byId(int id) {
        for (Server s : servers) {
            if (s.id() == id) {
                return s;
            }
        }
        return null;
    }

    /** Registers a callback run (on the changing thread) after any server's state, weight or address changes. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    void stateChanged() {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    /** Number of active (non-backup) servers that are usable. */
    public int usableActiveCount() {
        int n = 0;
        for (Server s : servers) {
            if (!s.isBackup() && s.isUsable()) {
                n++;
            }
        }
        return n;
    }
}
