package io.berth.config;

import io.berth.model.PeersSpec;

import java.util.List;
import java.util.Set;

/**
 * Keywords of a {@code peers} section: {@code peer NAME ADDR:PORT}, the 2.x {@code bind} + {@code server} form,
 * {@code disabled}/{@code enabled}; {@code table} lines are stick-table keywords ({@code StickKeywords}). Parser
 * thread only.
 */
public final class PeersKeywords {
    private PeersKeywords() {
    }

    private static final Set<Section> PEERS = Set.of(Section.PEERS);

    public static List<Keyword> keywords() {
        return List.of(
                Keyword.of("peer", "peer <name> <addr>:<port>", ctx -> peer(ctx, "peer"), PEERS),
                Keyword.of("disabled", "disabled", ctx -> ctx.peers().disabled = true, PEERS),
                Keyword.of("enabled", "enabled", ctx -> ctx.peers().disabled = false, PEERS),
                Keyword.notYet("log", PEERS),
                Keyword.notYet("shards", PEERS));
    }

    /** {@code bind ADDR:PORT} in a peers section (2.x form): the address of the local peer. */
    static void bind(KeywordContext ctx) {
        if (ctx.arg(1).isEmpty()) {
            throw new ConfigException("'bind' : missing address.");
        }
        try {
            Addresses.Address a = Addresses.parse(Addresses.expandEnv(ctx.arg(1), ctx.env()), true, false, false);
            ctx.peers().bindHost = a.host();
            ctx.peers().bindPort = a.port();
        } catch (ConfigException e) {
            throw new ConfigException("'bind' : " + e.getMessage());
        }
    }

    /** {@code server NAME [ADDR:PORT]} in a peers section: a remote peer, or the local one (bind address). */
    static void server(KeywordContext ctx) {
        if (!ctx.arg(2).isEmpty()) {
            peer(ctx, "server");
            return;
        }
        if (ctx.arg(1).isEmpty()) {
            throw new ConfigException("'server' : missing name.");
        }
        if (ctx.peers().bindHost == null) {
            throw new ConfigException("'server' : no address for local peer '" + ctx.arg(1)
                    + "' (declare 'bind' first).");
        }
        ctx.peers().peers.add(new PeersSpec.Peer(ctx.arg(1), ctx.location(), ctx.peers().bindHost,
                ctx.peers().bindPort));
    }

    /** {@code peer NAME ADDR:PORT}, also used by the {@code server} line of a peers section. */
    static void peer(KeywordContext ctx, String keyword) {
        if (ctx.arg(1).isEmpty()) {
            throw new ConfigException("'" + keyword + "' : missing name.");
        }
        String name = ctx.arg(1);
        for (PeersSpec.Peer p : ctx.peers().peers) {
            if (p.name().equals(name)) {
                throw new ConfigException("peers section '" + ctx.peers().name + "', another peer named '" + name
                        + "' was already defined at line " + p.location().line() + ", please use distinct names.");
            }
        }
        if (ctx.arg(2).isEmpty()) {
            throw new ConfigException("'" + keyword + "' : missing address.");
        }
        Addresses.Address a;
        try {
            a = Addresses.parse(Addresses.expandEnv(ctx.arg(2), ctx.env()), true, false, false);
        } catch (ConfigException e) {
            throw new ConfigException("'" + keyword + "' : " + e.getMessage());
        }
        ctx.peers().peers.add(new PeersSpec.Peer(name, ctx.location(), a.host(), a.port()));
    }
}
