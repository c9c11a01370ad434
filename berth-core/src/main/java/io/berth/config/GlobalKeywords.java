package io.berth.config;

import io.berth.model.StatsSocketSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code global} keywords Berth reads (maxconn, nbthread, stats socket, stats timeout, localpeer,
 * hard-stop-after), the process settings it accepts with a warning (daemon, chroot, user, ...) and the ones it
 * does not support yet. {@code log} lives in {@code io.berth.log.LogKeywords}. Parser thread only.
 */
public final class GlobalKeywords {
    private GlobalKeywords() {
    }

    public static List<Keyword> keywords() {
        List<Keyword> k = new ArrayList<>();
        k.add(Keyword.of("maxconn", "maxconn <number>", ctx -> {
            ProxyKeywords.requireArg(ctx, 1, "'maxconn' expects an integer argument.");
            ctx.global().maxconn = Units.atoi(ctx.arg(1));
        }, Section.GLOBAL));
        k.add(Keyword.of("nbthread", "nbthread <number>", ctx -> {
            ProxyKeywords.requireArg(ctx, 1, "'nbthread' expects an integer argument.");
            int n = Units.atoi(ctx.arg(1));
            if (n < 1 || n > 64) {
                throw new ConfigException("'nbthread' value must be between 1 and 64 (was " + n + ")");
            }
            ctx.global().nbthread = n;
        }, Section.GLOBAL));
        k.add(Keyword.of("stats socket", "stats socket <path>|ipv4@<addr>:<port> [mode <octal>] [level <level>]"
                + " [uid|gid|user|group <x>]...", GlobalKeywords::statsSocket, Section.GLOBAL));
        k.add(Keyword.of("stats timeout", "stats timeout <timeout>", ctx -> {
            ProxyKeywords.requireArg(ctx, 2, "'stats timeout' expects a timeout value.");
            long ms = Units.timeMs(ctx.arg(2), "stats timeout");
            if (ms == 0) {
                throw new ConfigException("'stats timeout' expects a positive value");
            }
            ctx.global().statsTimeoutMs = ms;
        }, Section.GLOBAL));
        k.add(new Keyword("stats", java.util.Set.of(Section.GLOBAL), "stats socket|timeout ...",
                Keyword.Support.FAMILY, ctx -> {
                    throw new ConfigException("'stats' only supports 'socket', 'maxconn', 'bind-process' and"
                            + " 'timeout' (got '" + ctx.arg(1) + "').");
                }));
        k.add(Keyword.of("localpeer", "localpeer <name>", ctx -> {
            ProxyKeywords.requireArg(ctx, 1, "'localpeer' expects a name as argument.");
            ctx.global().localPeer = ctx.arg(1);
        }, Section.GLOBAL));
        k.add(Keyword.of("hard-stop-after", "hard-stop-after <time>", ctx -> {
            ProxyKeywords.requireArg(ctx, 1, "'hard-stop-after' expects <time> as argument.");
            ctx.global().hardStopAfterMs = Units.timeMs(ctx.arg(1), "hard-stop-after");
        }, Section.GLOBAL));
        for (String name : List.of("daemon", "chroot", "user", "group", "uid", "gid", "pidfile", "ca-base",
                "crt-base", "master-worker", "nbproc", "spread-checks", "ssl-default-bind-ciphers",
                "ssl-default-bind-ciphersuites", "ssl-default-bind-options", "ssl-default-server-ciphers",
                "ssl-default-server-ciphersuites", "ssl-default-server-options", "ssl-dh-param-file",
                "tune.ssl.default-dh-param", "tune.bufsize", "tune.maxrewrite", "tune.ssl.cachesize",
                "tune.ssl.lifetime", "tune.http.maxhdr", "tune.idletimer", "tune.maxaccept", "tune.maxpollevents",
                "tune.rcvbuf.client", "tune.rcvbuf.server", "tune.sndbuf.client", "tune.sndbuf.server",
                "node", "description", "quiet", "noepoll", "nosplice", "cpu-map", "ulimit-n", "log-send-hostname",
                "log-tag", "server-state-base", "server-state-file", "stats maxconn", "stats bind-process",
                "set-dumpable", "insecure-fork-wanted", "numa-cpu-mapping", "busy-polling", "strict-limits",
                "expose-experimental-directives", "zero-warning")) {
            k.add(Keyword.ignored(name, Section.GLOBAL));
        }
        for (String name : List.of("lua-load", "ssl-engine", "maxsslconn", "maxconnrate", "maxsessrate",
                "maxpipes", "setenv", "presetenv", "unsetenv", "resetenv", "h1-case-adjust", "unix-bind",
                "external-check", "ssl-server-verify", "hard-stop-after-unused")) {
            k.add(Keyword.notYet(name, Section.GLOBAL));
        }
        return k;
    }

    private static void statsSocket(KeywordContext ctx) {
        ProxyKeywords.requireArg(ctx, 2, "'stats socket' requires a path or an address");
        String address = Addresses.expandEnv(ctx.arg(2), ctx.env());
        int mode = -1;
        String level = "operator";
        List<String> options = ctx.argsFrom(3);
        for (int i = 3; i < ctx.argc(); i++) {
            String w = ctx.arg(i);
            switch (w) {
                case "mode" -> {
                    String m = ctx.arg(++i);
                    if (m.isEmpty() || !m.chars().allMatch(c -> c >= '0' && c <= '7')) {
                        throw new ConfigException("'stats socket' : 'mode' : missing or invalid mode '" + m
                                + "' (octal integer expected)");
                    }
                    mode = Integer.parseInt(m, 8);
                }
                case "level" -> {
                    level = ctx.arg(++i);
                    if (!level.equals("user") && !level.equals("operator") && !level.equals("admin")) {
                        throw new ConfigException("'stats socket' : 'level' only supports 'user', 'operator', and"
                                + " 'admin'");
                    }
                }
                case "uid", "gid", "user", "group", "expose-fd", "process", "name", "maxconn", "backlog",
                        "severity-output", "accept-netscaler-cip", "tfo", "v4v6", "v6only", "transparent" -> {
                    // kept in options for other readers; words that take a value skip it
                    if (!w.equals("tfo") && !w.equals("v4v6") && !w.equals("v6only") && !w.equals("transparent")) {
                        i++;
                    }
                }
                default -> throw new ConfigException("'stats socket' : unknown keyword '" + w + "'.");
            }
        }
        ctx.global().statsSockets.add(new StatsSocketSpec(ctx.location(), address, mode, level, options));
    }
}
