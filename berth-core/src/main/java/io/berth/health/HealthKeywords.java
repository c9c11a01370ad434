package io.berth.health;

import io.berth.config.ConfigException;
import io.berth.config.HttpCheckDraft;
import io.berth.config.Keyword;
import io.berth.config.KeywordContext;
import io.berth.config.ProxyDraft;
import io.berth.config.Section;
import io.berth.config.ServerArgument;
import io.berth.config.Units;
import io.berth.model.CheckSpec;
import io.berth.model.Mode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Health-check configuration: {@code option httpchk} (old form, with the deprecated header smuggling warning),
 * {@code http-check send}, {@code http-check expect}, {@code http-check connect} ({@link CheckConnect}), and the server arguments {@code check inter fastinter
 * downinter rise fall port addr observe error-limit on-error on-marked-down on-marked-up slowstart}. Owned by the health subsystem; handlers run on the parser thread.
 */
public final class HealthKeywords {
    private HealthKeywords() {
    }

    public static List<Keyword> keywords() {
        return List.of(
                Keyword.of("option httpchk", "option httpchk [<method>] [<uri>] [<version>]",
                        HealthKeywords::optionHttpchk, Section.BACKENDS),
                Keyword.of("http-check send", "http-check send [meth <M>] [uri <U>] [ver <V>] [hdr <name> <value>]*"
                        + " [body <string>]", HealthKeywords::send, Section.BACKENDS),
                Keyword.of("http-check expect", "http-check expect [!] status|rstatus|string|rstring|hdr <pattern>",
                        HealthKeywords::expect, Section.BACKENDS),
                Keyword.of("http-check connect", "http-check connect [default] [port <port>] [addr <ip>] [ssl]"
                        + " [linger] [comment <text>]", HealthKeywords::connect, Section.BACKENDS),
                Keyword.notYet("http-check disable-on-404", Section.BACKENDS),
                Keyword.notYet("http-check send-state", Section.BACKENDS),
                Keyword.notYet("http-check comment", Section.BACKENDS),
                Keyword.notYet("http-check set-var", Section.BACKENDS),
                Keyword.notYet("http-check unset-var", Section.BACKENDS),
                new Keyword("http-check", Section.BACKENDS, "http-check <action> ...", Keyword.Support.FAMILY,
                        ctx -> {
                            throw new ConfigException("'http-check' only supports 'comment', 'connect', 'send',"
                                    + " 'expect', 'set-var', 'unset-var', 'send-state' and 'disable-on-404' (got '"
                                    + ctx.arg(1) + "').");
                        }));
    }

    public static List<ServerArgument> serverArguments() {
        List<ServerArgument> a = new ArrayList<>();
        a.add(ServerArgument.of("check", 0, "check", (s, v, ctx) -> s.check = true));
        a.add(ServerArgument.of("inter", 1, "inter <delay>", (s, v, ctx) -> s.inter = delay("inter", v.get(0), s.name)));
        a.add(ServerArgument.of("fastinter", 1, "fastinter <delay>",
                (s, v, ctx) -> s.fastInter = delay("fastinter", v.get(0), s.name)));
        a.add(ServerArgument.of("downinter", 1, "downinter <delay>",
                (s, v, ctx) -> s.downInter = delay("downinter", v.get(0), s.name)));
        a.add(ServerArgument.of("rise", 1, "rise <count>", (s, v, ctx) -> s.rise = count("rise", v.get(0))));
        a.add(ServerArgument.of("fall", 1, "fall <count>", (s, v, ctx) -> s.fall = count("fall", v.get(0))));
        a.add(ServerArgument.of("port", 1, "port <port>", (s, v, ctx) -> {
            int port = Units.atoi(v.get(0));
            if (port < 0 || port > 65535) {
                throw new ConfigException("invalid port '" + v.get(0) + "'");
            }
            s.checkPort = port;
        }));
        a.add(ServerArgument.of("addr", 1, "addr <ipv4|ipv6>", (s, v, ctx) -> s.checkAddr = v.get(0)));
        a.addAll(passiveArguments());
        return a;
    }

    /**
     * Passive health and state-change arguments, with HAProxy's messages (src/server.c srv_parse_observe,
     * srv_parse_error_limit, srv_parse_on_error, srv_parse_on_marked_down/up, srv_parse_slowstart).
     */
    private static List<ServerArgument> passiveArguments() {
        List<ServerArgument> a = new ArrayList<>();
        a.add(ServerArgument.of("observe", 1, "observe none|layer4|layer7", (s, v, ctx) -> {
            switch (v.get(0)) {
                case "none" -> s.observe = CheckSpec.Observe.NONE;
                case "layer4" -> s.observe = CheckSpec.Observe.LAYER4;
                case "layer7" -> {
                    if (ctx.proxy().mode != Mode.HTTP) {
                        throw new ConfigException("'layer7' can only be used in http proxies.");
                    }
                    s.observe = CheckSpec.Observe.LAYER7;
                }
                default -> throw new ConfigException("'observe' expects one of 'none', 'layer4', 'layer7' but got '"
                        + v.get(0) + "'");
            }
        }));
        a.add(ServerArgument.of("error-limit", 1, "error-limit <count>", (s, v, ctx) -> {
            int n = Units.atoi(v.get(0));
            if (n <= 0) {
                throw new ConfigException("error-limit has to be > 0.");
            }
            s.errorLimit = n;
        }));
        a.add(ServerArgument.of("on-error", 1, "on-error fastinter|fail-check|sudden-death|mark-down", (s, v, ctx) ->
                s.onError = switch (v.get(0)) {
                    case "fastinter" -> CheckSpec.OnError.FASTINTER;
                    case "fail-check" -> CheckSpec.OnError.FAIL_CHECK;
                    case "sudden-death" -> CheckSpec.OnError.SUDDEN_DEATH;
                    case "mark-down" -> CheckSpec.OnError.MARK_DOWN;
                    default -> throw new ConfigException("'on-error' expects one of 'fastinter', 'fail-check',"
                            + " 'sudden-death' or 'mark-down' but got '" + v.get(0) + "'");
                }));
        a.add(ServerArgument.of("on-marked-down", 1, "on-marked-down shutdown-sessions", (s, v, ctx) -> {
            if (!v.get(0).equals("shutdown-sessions")) {
                throw new ConfigException("'on-marked-down' expects 'shutdown-sessions' but got '" + v.get(0) + "'");
            }
            s.shutdownSessionsOnDown = true;
        }));
        a.add(ServerArgument.of("on-marked-up", 1, "on-marked-up shutdown-backup-sessions", (s, v, ctx) -> {
            if (!v.get(0).equals("shutdown-backup-sessions")) {
                throw new ConfigException("'on-marked-up' expects 'shutdown-backup-sessions' but got '" + v.get(0)
                        + "'");
            }
            s.shutdownBackupSessionsOnUp = true;
        }));
        a.add(ServerArgument.of("slowstart", 1, "slowstart <delay>", (s, v, ctx) -> {
            long ms;
            try {
                ms = Units.timeMs(v.get(0));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("unexpected character '" + e.getMessage() + "' in 'slowstart' argument of"
                        + " server " + s.name + ".");
            }
            // HAProxy keeps whole seconds, rounded up: slowstart 1500ms ramps over 2 s.
            s.slowstartMs = (ms + 999) / 1000 * 1000;
        }));
        return a;
    }

    /** A check delay, as HAProxy's {@code srv_parse_check_delay...}: a time value, not 0. */
    private static long delay(String name, String value, String server) {
        long ms;
        try {
            ms = Units.timeMs(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("unexpected character '" + e.getMessage() + "' in '" + name
                    + "' argument of server " + server + ".");
        }
        if (ms <= 0) {
            throw new ConfigException("invalid value " + ms + " for argument '" + name + "' of server " + server
                    + ".");
        }
        return ms;
    }

    private static int count(String name, String value) {
        int n = Units.atoi(value);
        if (n <= 0) {
            throw new ConfigException("'" + name + "' has to be > 0.");
        }
        return n;
    }

    private static HttpCheckDraft check(KeywordContext ctx) {
        ProxyDraft p = ctx.proxy();
        if (p.httpCheck == null) {
            p.httpCheck = new HttpCheckDraft();
        }
        return p.httpCheck;
    }

    private static void optionHttpchk(KeywordContext ctx) {
        if (ctx.negated()) {
            ctx.proxy().httpCheck = null;
            return;
        }
        HttpCheckDraft c = new HttpCheckDraft();
        if (ctx.proxy().httpCheck != null) {
            c.expect.addAll(ctx.proxy().httpCheck.expect);
        }
        List<String> a = ctx.argsFrom(2);
        if (a.size() == 1) {
            c.uri = a.get(0);
        } else if (a.size() >= 2) {
            c.method = a.get(0);
            c.uri = a.get(1);
            if (a.size() >= 3) {
                String version = a.get(2);
                int cut = version.indexOf("\r\n");
                if (cut >= 0) {
                    ctx.warn("'option httpchk' : hiding headers or body at the end of the version string is"
                            + " deprecated. Please, consider to use 'http-check send' directive instead.");
                    String rest = version.substring(cut + 2);
                    version = version.substring(0, cut);
                    int bodyAt = rest.indexOf("\r\n\r\n");
                    String headerPart = bodyAt >= 0 ? rest.substring(0, bodyAt) : rest;
                    for (String h : headerPart.split("\r\n")) {
                        if (!h.isEmpty()) {
                            c.headers.add(h);
                        }
                    }
                    if (bodyAt >= 0 && bodyAt + 4 < rest.length()) {
                        c.body = rest.substring(bodyAt + 4);
                    }
                }
                c.version = version;
            }
        }
        ctx.proxy().httpCheck = c;
    }

    private static void send(KeywordContext ctx) {
        HttpCheckDraft c = check(ctx);
        int i = 2;
        while (i < ctx.argc()) {
            String w = ctx.arg(i);
            switch (w) {
                case "meth", "uri", "ver", "body" -> {
                    String v = ctx.arg(i + 1);
                    if (v.isEmpty()) {
                        throw new ConfigException("'http-check send' : '" + w + "' expects " + switch (w) {
                            case "meth" -> "a method";
                            case "uri" -> "an uri";
                            case "ver" -> "a version string";
                            default -> "a string";
                        } + " as argument.");
                    }
                    switch (w) {
                        case "meth" -> c.method = v;
                        case "uri" -> c.uri = v;
                        case "ver" -> c.version = v;
                        default -> c.body = v;
                    }
                    i += 2;
                }
                case "hdr" -> {
                    if (ctx.arg(i + 1).isEmpty() || i + 2 >= ctx.argc()) {
                        throw new ConfigException("'http-check send' : 'hdr' expects <name> and <value> as"
                                + " arguments.");
                    }
                    c.headers.add(ctx.arg(i + 1) + ": " + ctx.arg(i + 2));
                    i += 3;
                }
                case "uri-lf", "body-lf", "comment" -> throw new ConfigException("'http-check send " + w
                        + "' is not yet supported by Berth.");
                default -> throw new ConfigException("'http-check send' : only supports 'comment', 'meth', 'uri',"
                        + " 'uri-lf', 'ver', 'hdr', 'body' or 'body-lf' but got '" + w + "' as argument.");
            }
        }
        if (c.expect.stream().anyMatch(CheckConnect::isRow)) {
            c.expect.add(HttpCheckSteps.SEND); // the step's place after a connect: an expect needs it
        }
    }

    /**
     * {@code http-check connect}: validated by {@link CheckConnect#parse}, kept as the first raw rule of the
     * backend's http-check list ({@link HttpCheckSteps}). One connect, first, as HAProxy's single-step sequences;
     * a second connect after an expect (a multi-step sequence) is refused as not yet supported.
     */
    private static void connect(KeywordContext ctx) {
        List<String> words = ctx.argsFrom(2);
        CheckConnect.parse(words);
        HttpCheckDraft c = check(ctx);
        HttpCheckSteps.checkConnect(c.expect);
        c.expect.add(CheckConnect.row(words));
    }

    private static final Set<String> EXPECT = Set.of("status", "rstatus", "string", "rstring", "hdr");

    private static void expect(KeywordContext ctx) {
        List<String> words = new ArrayList<>(ctx.argsFrom(2));
        int at = 0;
        if (!words.isEmpty() && words.get(0).equals("!")) {
            at = 1;
        }
        String kind = at < words.size() ? words.get(at) : "";
        if (kind.equals("string-lf") || kind.equals("fhdr") || kind.equals("min-recv") || kind.equals("comment")) {
            throw new ConfigException("'http-check expect " + kind + "' is not yet supported by Berth.");
        }
        if (!EXPECT.contains(kind)) {
            throw new ConfigException("'http-check expect' : 'only supports min-recv, [!]string', '[!]rstring',"
                    + " '[!]string-lf', '[!]status', '[!]rstatus', [!]hdr, [!]fhdr or comment but got '" + kind
                    + "' as argument..");
        }
        if (at + 1 >= words.size()) {
            throw new ConfigException("'http-check expect' : '" + kind + "' expects <pattern> as argument.");
        }
        HttpCheckSteps.checkExpect(check(ctx).expect);
        check(ctx).expect.add(List.copyOf(words));
    }
}
