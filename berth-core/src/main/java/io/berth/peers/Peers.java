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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every {@code peers} section of one configuration, live: the entry point the {@code berth} process uses. Each
 * section installs itself as the change listener of its tables, so every local store, match hit, tracked-counter
 * update and {@code set table} is queued for the remote peers without the request path knowing about peers. An
 * in-process reload ({@link #reload}) keeps a section whose members and tables are unchanged (the tables are the
 * same objects, carried over by {@link StickTables#build}) and restarts the others. Start, reload and stop run on
 * the process's configuration thread (main or reload thread, one at a time); {@link #touched} and
 * {@link #describe} from any thread.
 */
public final class Peers {
    /** How the sections reach the network: what {@link #start} was given, reused by {@link #reload}. */
    private record Transport(EventLoopGroup group, Class<? extends ServerChannel> serverChannelClass,
                             Class<? extends Channel> channelClass, Consumer<String> log) {
    }

    private final Map<String, PeerSection> sections;
    private final Map<String, PeersSpec> specs;
    private final String localName;
    private final Transport transport;

    private Peers(Map<String, PeerSection> sections, Map<String, PeersSpec> specs, String localName,
                  Transport transport) {
        this.sections = sections;
        this.specs = specs;
        this.localName = localName;
        this.transport = transport;
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
        Transport transport = new Transport(group, serverChannelClass, channelClass, log);
        Map<String, PeerSection> sections = new LinkedHashMap<>();
        Map<String, PeersSpec> specs = new LinkedHashMap<>();
        for (PeersSpec spec : wanted(config, localName, log)) {
            sections.put(spec.name(), startSection(spec, synced(spec, tables), localName, transport, afterReload));
            specs.put(spec.name(), spec);
        }
        return new Peers(sections, specs, localName, transport);
    }

    /** The enabled sections naming the local peer; the others are reported as HAProxy reports them. */
    private static List<PeersSpec> wanted(Config config, String localName, Consumer<String> log) {
        List<PeersSpec> out = new ArrayList<>();
        for (PeersSpec spec : config.peers()) {
            if (spec.disabled()) {
                continue;
            }
            if (spec.peers().stream().noneMatch(p -> p.name().equals(localName))) {
                log.accept("Removing incomplete section 'peers " + spec.name() + "' (no peer named '" + localName
                        + "').");
                continue;
            }
            out.add(spec);
        }
        return out;
    }

    private static List<StickTable> synced(PeersSpec spec, StickTables tables) {
        List<StickTable> synced = new ArrayList<>();
        for (StickTable t : tables.tables()) {
            if (spec.name().equals(t.spec().peers())) {
                synced.add(t);
            }
        }
        return synced;
    }

    private static PeerSection startSection(PeersSpec spec, List<StickTable> tables, String localName, Transport x,
                                            boolean afterReload) throws InterruptedException {
        return afterReload
                ? PeerSection.startAfter(spec, localName, tables, x.group, x.serverChannelClass, x.channelClass, x.log)
                : PeerSection.start(spec, localName, tables, x.group, x.serverChannelClass, x.channelClass, x.log);
    }

    /**
     * An in-process reload: returns the peers of the new configuration. A section is kept as it runs (sessions,
     * backlogs, up-to-date state) when its members and addresses are the same and it syncs the very same table
     * objects; otherwise it is stopped (its address freed) and started again over the new tables, which then
     * resync from the remote peers as after a restart. Sections gone from the configuration are stopped.
     *
     * @throws InterruptedException while binding a restarted section
     */
    public Peers reload(Config config, StickTables tables) throws InterruptedException {
        Map<String, PeerSection> next = new LinkedHashMap<>();
        Map<String, PeersSpec> nextSpecs = new LinkedHashMap<>();
        Map<String, PeerSection> left = new LinkedHashMap<>(sections);
        for (PeersSpec spec : wanted(config, localName, transport.log)) {
            List<StickTable> synced = synced(spec, tables);
            PeerSection old = left.remove(spec.name());
            if (old != null && sameMembers(specs.get(spec.name()), spec) && sameTables(old.tables(), synced)) {
                next.put(spec.name(), old);
            } else {
                if (old != null) {
                    await(old.stop());
                }
                next.put(spec.name(), startSection(spec, synced, localName, transport, false));
            }
            nextSpecs.put(spec.name(), spec);
        }
        left.values().forEach(s -> await(s.stop()));
        return new Peers(next, nextSpecs, localName, transport);
    }

    /** Same peers (names, addresses, order); the lines they were declared at may have moved. */
    private static boolean sameMembers(PeersSpec a, PeersSpec b) {
        if (a == null || a.peers().size() != b.peers().size()) {
            return false;
        }
        for (int i = 0; i < a.peers().size(); i++) {
            PeersSpec.Peer x = a.peers().get(i);
            PeersSpec.Peer y = b.peers().get(i);
            if (!x.name().equals(y.name()) || !x.host().equals(y.host()) || x.port() != y.port()) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameTables(List<StickTable> a, List<StickTable> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static void await(java.util.concurrent.Future<?> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the loop is gone: its socket is closed with it
        }
    }

    /** The running section named {@code name}, or null. */
    public PeerSection section(String name) {
        return sections.get(name);
    }

    public Collection<PeerSection> sections() {
        return sections.values();
    }

    public String localName() {
        return localName;
    }

    /**
     * Queues a locally changed entry for the peers of its table's section (any thread, O(1), never blocks); a
     * table without {@code peers} is ignored. The sections' change listeners do this for every local change;
     * callers need it only for a table they write behind the table's back.
     */
    public void touched(StickTable table, int[] key) {
        String p = table.spec().peers();
        PeerSection s = p == null ? null : sections.get(p);
        if (s != null) {
            s.touched(table, key);
        }
    }

    /** True while some section still waits for the old process's hand-over ({@link PeerSection#awaitingHandOver}). */
    public boolean awaitingHandOver() {
        return sections.values().stream().anyMatch(PeerSection::awaitingHandOver);
    }

    /** True when every section finished its startup resync (or has nothing to wait for). */
    public boolean upToDate() {
        return sections.values().stream().allMatch(PeerSection::upToDate);
    }

    /**
     * {@code show peers [section]}: every running section's state, or only {@code section}'s; null when
     * {@code section} names no running section.
     */
    public String describe(String section) {
        if (section != null && !section.isEmpty()) {
            PeerSection s = sections.get(section);
            return s == null ? null : s.describe() + "\n";
        }
        StringBuilder b = new StringBuilder();
        sections.values().forEach(s -> b.append(s.describe()).append('\n'));
        return b.toString();
    }

    /**
     * Soft stop of the old process in a reload by process replacement: every section hands over its tables to
     * the new process through the local peer. Completes when all sections are done (confirmed or timed out).
     */
    public CompletableFuture<Void> handOver() {
        return CompletableFuture.allOf(sections.values().stream().map(PeerSection::handOver)
                .toArray(CompletableFuture[]::new));
    }

    public void stop() {
        sections.values().forEach(s -> await(s.stop()));
    }
}
