package io.berth.peers;

import io.berth.model.Config;
import io.berth.model.PeersSpec;
import io.berth.persist.stick.StickTable;
import io.berth.persist.stick.StickTables;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Every {@code peers} section of one configuration, live: the entry point the runtime and the {@code berth}
 * command use. Built once per process start (sections are not rebuilt by an in-process reload, whose tables are
 * carried over by {@link StickTables#build}); thread-safe after {@link #start} returns.
 */
public final class Peers {
    private final Map<String, PeerSection> sections;

    private Peers(Map<String, PeerSection> sections) {
        this.sections = sections;
    }

    /**
     * The local peer name as HAProxy 2.6 chooses it: {@code -L}, else the global {@code localpeer}, else the host
     * name.
     */
    public static String localName(String commandLine, Config config) {
        if (commandLine != null && !commandLine.isEmpty()) {
            return commandLine;
        }
        if (config.global().localPeer() != null) {
            return config.global().localPeer();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Starts one {@link PeerSection} per enabled section that names the local peer, each with the tables declared
     * {@code peers <section>} in configuration order. A section without the local peer is dropped with HAProxy's
     * warning, written to {@code log}.
     *
     * @param afterReload true in the new process of a reload by process replacement: each section waits for the
     *                    old process to free its address and teach it ({@link PeerSection#startAfter})
     * @throws InterruptedException while binding
     */
    public static Peers start(Config config, StickTables tables, String localName, EventLoopGroup group,
                              Class<? extends ServerChannel> serverChannelClass, Class<? extends Channel> channelClass,
                              Consumer<String> log, boolean afterReload) throws InterruptedException {
        Map<String, PeerSection> sections = new LinkedHashMap<>();
        for (PeersSpec spec : config.peers()) {
            if (spec.disabled()) {
                continue;
            }
            if (spec.peers().stream().noneMatch(p -> p.name().equals(localName))) {
                log.accept("Removing incomplete section 'peers " + spec.name() + "' (no peer named '" + localName
                        + "').");
                continue;
            }
            List<StickTable> synced = new ArrayList<>();
            for (StickTable t : tables.tables()) {
                if (spec.name().equals(t.spec().peers())) {
                    synced.add(t);
                }
            }
            sections.put(spec.name(), afterReload
                    ? PeerSection.startAfter(spec, localName, synced, group, serverChannelClass, channelClass, log)
                    : PeerSection.start(spec, localName, synced, group, serverChannelClass, channelClass, log));
        }
        return new Peers(sections);
    }

    /** The running section named {@code name}, or null. */
    public PeerSection section(String name) {
        return sections.get(name);
    }

    public Collection<PeerSection> sections() {
        return sections.values();
    }

    /**
     * Queues a locally changed entry for the peers of its table's section (any thread, O(1), never blocks); a
     * table without {@code peers} is ignored. To be called after every local store, match hit, tracked-counter
     * update and {@code set table} — never for entries learned from peers.
     */
    public void touched(StickTable table, int[] key) {
        String p = table.spec().peers();
        PeerSection s = p == null ? null : sections.get(p);
        if (s != null) {
            s.touched(table, key);
        }
    }

    /** Soft stop of the old process in a reload by process replacement: every section hands over its tables. */
    public CompletableFuture<Void> handOver() {
        return CompletableFuture.allOf(sections.values().stream().map(PeerSection::handOver)
                .toArray(CompletableFuture[]::new));
    }

    public void stop() {
        sections.values().forEach(PeerSection::stop);
    }
}
