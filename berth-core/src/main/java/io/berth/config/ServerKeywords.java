package io.berth.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code server} and {@code default-server} lines, and the core server arguments (weight, backup, maxconn,
 * disabled, enabled, id, cookie). Other subsystems add their own arguments to the registry (health checks:
 * {@code io.berth.health.HealthKeywords}). Errors on these lines are written {@code [F:L] : 'server be/s1' : ...}
 * as in HAProxy. Handlers run on the parser thread.
 */
public final class ServerKeywords {
    private ServerKeywords() {
    }

    public static List<Keyword> keywords() {
        return List.of(
                Keyword.of("server", "server <name> <addr>[:<port>] [param*]", ServerKeywords::server,
                        java.util.EnumSet.of(Section.BACKEND, Section.LISTEN, Section.PEERS)),
                Keyword.of("default-server", "default-server [param*]", ServerKeywords::defaultServer,
                        Section.BACKENDS));
    }

    public static List<ServerArgument> arguments() {
        List<ServerArgument> a = new ArrayList<>();
        a.add(ServerArgument.of("weight", 1, "weight <0..256>", (s, v, ctx) -> {
            int w = Units.atoi(v.get(0));
            if (w < 0 || w > 256) {
                throw new ConfigException("weight of server " + s.name + " is not within 0 and 256 (" + w + ").");
            }
            s.weight = w;
        }));
        a.add(ServerArgument.of("backup", 0, "backup", (s, v, ctx) -> s.backup = true));
        a.add(ServerArgument.of("non-stick", 0, "non-stick", (s, v, ctx) -> s.nonStick = true));
        a.add(ServerArgument.of("maxconn", 1, "maxconn <conns>", (s, v, ctx) -> s.maxconn = Units.atoi(v.get(0))));
        a.add(ServerArgument.of("maxqueue", 1, "maxqueue <maxqueue>", (s, v, ctx) -> s.maxqueue = Units.atoi(v.get(0))));
        a.add(ServerArgument.of("disabled", 0, "disabled", (s, v, ctx) -> s.disabled = true));
        a.add(ServerArgument.of("enabled", 0, "enabled", (s, v, ctx) -> s.disabled = false));
        a.add(ServerArgument.of("id", 1, "id <number>", (s, v, ctx) -> {
            int id = Units.atoi(v.get(0));
            if (id <= 0) {
                throw new ConfigException("'id' : custom id has to be > 0.");
            }
            s.id = id;
        }));
        a.add(ServerArgument.of("cookie", 1, "cookie <value>", (s, v, ctx) -> s.cookie = v.get(0)));
        a.addAll(ServerTlsArguments.arguments());
        for (String name : List.of("alpn",
                "send-proxy", "send-proxy-v2", "agent-check", "agent-port", "agent-inter",
                "resolvers", "init-addr", "track",
                "redir", "minconn", "proto", "pool-max-conn", "check-send-proxy", "tfo", "usesrc",
                "source", "namespace", "ws", "proxy-v2-options", "check-proto", "no-check")) {
            boolean flag = List.of("send-proxy", "send-proxy-v2", "agent-check",
                    "check-send-proxy", "tfo", "no-check").contains(name);
            a.add(ServerArgument.notYet(name, flag ? 0 : 1));
        }
        return a;
    }

    private static void server(KeywordContext ctx) {
        if (ctx.section() == Section.PEERS) {
            PeersKeywords.server(ctx);
            return;
        }
        ProxyDraft proxy = ctx.proxy();
        if (ctx.arg(1).isEmpty() || ctx.arg(2).isEmpty()) {
            throw new ConfigException("'server' expects <name> and <addr>[:<port>] as arguments.",
                    Diagnostic.Prefix.BRACKETS);
        }
        String name = ctx.arg(1);
        String prefix = "'server " + proxy.name + "/" + name + "' : ";
        var previous = proxy.serverNames.get(name);
        if (previous != null) {
            throw new ConfigException(proxy.describe() + ", another server named '" + name
                    + "' was already defined at line " + previous.line() + ", please use distinct names.");
        }
        ServerDraft s = new ServerDraft(proxy.defaultServer);
        s.name = name;
        s.location = ctx.location();
        try {
            Addresses.Address a = Addresses.parse(Addresses.expandEnv(ctx.arg(2), ctx.env()), false, false, true);
            s.host = a.host();
            s.port = a.port();
            arguments(ctx, s, 3, prefix);
            ServerTlsArguments.checkServer(s.tls);
        } catch (ConfigException e) {
            throw new ConfigException(prefix + e.getMessage(), Diagnostic.Prefix.BRACKETS);
        }
        // only a server that parsed holds its name: HAProxy does not report a duplicate of a refused line
        proxy.serverNames.put(name, ctx.location());
        proxy.servers.add(s);
    }

    private static void defaultServer(KeywordContext ctx) {
        ProxyDraft proxy = ctx.proxy();
        ServerDraft d = new ServerDraft(proxy.defaultServer);
        d.name = "default-server";
        String prefix = "'default-server " + (proxy.name == null ? "" : proxy.name) + "/' : ";
        try {
            arguments(ctx, d, 1, prefix);
        } catch (ConfigException e) {
            throw new ConfigException(prefix + e.getMessage(), Diagnostic.Prefix.BRACKETS);
        }
        proxy.defaultServer = d;
    }

    /** Applies the arguments from word {@code from} on, each declared in the registry with its value count. */
    private static void arguments(KeywordContext ctx, ServerDraft s, int from, String prefix) {
        int i = from;
        while (i < ctx.argc()) {
            String word = ctx.arg(i);
            ServerArgument arg = ctx.registry().serverArgument(word);
            if (arg == null) {
                String best = ctx.registry().suggestServerArgument(word);
                throw new ConfigException("unknown keyword '" + word + "'"
                        + (best == null ? "" : "; did you mean '" + best + "' maybe ?"));
            }
            List<String> values = new ArrayList<>();
            for (int v = 1; v <= arg.values(); v++) {
                if (i + v >= ctx.argc()) {
                    String what = arg.usage().contains("<delay>") ? "a delay as argument" : arg.values() == 1
                            ? "an argument" : arg.values() + " arguments";
                    throw new ConfigException("'" + word + "' expects " + what + "..");
                }
                values.add(ctx.arg(i + v));
            }
            try {
                arg.handler().apply(s, values, ctx);
            } catch (ConfigException e) {
                // HAProxy appends a '.' to argument parsers' messages, which already end with one: "(300).."
                throw new ConfigException(e.getMessage() + ".");
            }
            i += 1 + arg.values();
        }
    }
}
