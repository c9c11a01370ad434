package io.berth.config;

import io.berth.model.AclSpec;
import io.berth.model.BindSpec;
import io.berth.model.ConditionSpec;
import io.berth.model.HttpConnectionMode;
import io.berth.model.HttpRuleSpec;
import io.berth.model.Mode;
import io.berth.model.UseBackendSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.berth.config.Section.BACKENDS;
import static io.berth.config.Section.FRONTENDS;
import static io.berth.config.Section.PROXIES;

/**
 * The core proxy keywords (mode, bind, routing, ACLs, timeouts, options, retries, HTTP rules, id) and the
 * HAProxy proxy keywords Berth does not support yet. Registered by {@code Subsystems}; handlers run on the
 * parser thread.
 */
public final class ProxyKeywords {
    private ProxyKeywords() {
    }

    public static List<Keyword> keywords() {
        List<Keyword> k = new ArrayList<>();
        k.add(Keyword.of("mode", "mode http|tcp", ProxyKeywords::mode, PROXIES));
        k.add(Keyword.of("id", "id <number>", ProxyKeywords::id, Set.of(Section.FRONTEND, Section.BACKEND,
                Section.LISTEN)));
        k.add(Keyword.of("bind", "bind [<addr>]:<port>[,...] [options...]", ctx -> {
            if (ctx.section() == Section.PEERS) {
                PeersKeywords.bind(ctx);
            } else {
                bind(ctx);
            }
        }, Set.of(Section.FRONTEND, Section.LISTEN, Section.PEERS)));
        k.add(Keyword.of("default_backend", "default_backend <backend>", ProxyKeywords::defaultBackend, FRONTENDS));
        k.add(Keyword.of("use_backend", "use_backend <backend> [{if | unless} <condition>]",
                ProxyKeywords::useBackend, Set.of(Section.FRONTEND, Section.LISTEN)));
        k.add(Keyword.of("acl", "acl <aclname> <criterion> [flags] [operator] <value> ...", ProxyKeywords::acl,
                PROXIES));
        k.add(Keyword.of("maxconn", "maxconn <conns>", ctx -> {
            requireArg(ctx, 1, "'maxconn' expects an integer argument.");
            ctx.proxy().maxconn = Units.atoi(ctx.arg(1));
        }, FRONTENDS));
        k.add(Keyword.of("retry-on", "retry-on <keywords...>", ProxyKeywords::retryOn, BACKENDS));
        k.add(Keyword.of("retries", "retries <value>", ctx -> {
            requireArg(ctx, 1, "'retries' expects an integer argument (dispatch counts for one).");
            ctx.proxy().retries = Units.atoi(ctx.arg(1));
        }, BACKENDS));
        k.add(Keyword.of("http-request", "http-request <action> [args...] [{if | unless} <condition>]",
                ctx -> httpRule(ctx, ctx.proxy().httpRequestRules), PROXIES));
        k.add(Keyword.of("http-response", "http-response <action> [args...] [{if | unless} <condition>]",
                ctx -> httpRule(ctx, ctx.proxy().httpResponseRules), PROXIES));
        timeouts(k);
        options(k);
        k.addAll(StatsKeywords.keywords());
        // cookie, dynamic-cookie-key, force-persist and ignore-persist: persist/cookie/CookieKeywords.
        // stick-table and stick: persist/stick/StickKeywords.
        k.add(Keyword.of("redirect", "redirect {location | prefix | scheme} <to> [code <code>] [drop-query]"
                + " [append-slash] [{if | unless} <condition>]", ProxyKeywords::redirect, PROXIES));
        // tcp-request: config/TcpRequestKeywords.
        for (String direction : List.of("request", "response")) {
            k.add(Keyword.of("capture " + direction, "capture " + direction + " header <name> len <length>",
                    ctx -> capture(ctx, direction), Section.FRONTEND, Section.LISTEN));
        }
        k.add(Keyword.of("capture cookie", "capture cookie <name> len <length>", ProxyKeywords::captureCookie,
                Section.FRONTEND, Section.LISTEN));
        for (String name : List.of("tcp-response", "http-after-response",
                "use-server", "errorfile", "http-reuse", "server-template",
                "compression", "hash-balance-factor", "fullconn", "description", "disabled",
                "enabled", "monitor-uri", "rate-limit", "unique-id-format", "unique-id-header", "log-format",
                "log-tag", "errorloc", "http-send-name-header", "filter", "email-alert", "server-state-file-name",
                "load-server-state-from-file", "persist", "source", "declare", "max-keep-alive-queue",
                "backlog", "stats")) {
            k.add(Keyword.notYet(name, name.equals("stats") ? PROXIES : stickOrCookieSections(name)));
        }
        return k;
    }

    private static Set<Section> stickOrCookieSections(String name) {
        if (name.startsWith("stick") || name.equals("cookie") || name.equals("use-server")
                || name.equals("dynamic-cookie-key") || name.equals("server-template")) {
            return BACKENDS;
        }
        return PROXIES;
    }

    /** {@code retry-on}: replaces the set; {@code none} only alone (HAProxy's proxy_parse_retry_on wording). */
    private static void retryOn(KeywordContext ctx) {
        requireArg(ctx, 1, "'retry-on' needs at least one keyword to specify when to retry");
        java.util.Set<io.berth.model.RetryOn> set = java.util.EnumSet.noneOf(io.berth.model.RetryOn.class);
        for (int i = 1; i < ctx.argc(); i++) {
            String w = ctx.arg(i);
            if (w.equals("all-retryable-errors")) {
                set.addAll(io.berth.model.RetryOn.allRetryableErrors());
            } else if (w.equals("none")) {
                if (i != 1 || ctx.argc() > 2) {
                    throw new ConfigException("'retry-on' 'none' keyworld only usable alone");
                }
            } else {
                io.berth.model.RetryOn r = io.berth.model.RetryOn.of(w);
                if (r == null) {
                    throw new ConfigException("'retry-on': unknown keyword '" + w + "'");
                }
                set.add(r);
            }
        }
        ctx.proxy().retryOn = set;
    }

    static void requireArg(KeywordContext ctx, int index, String message) {
        if (ctx.arg(index).isEmpty()) {
            throw new ConfigException(message);
        }
    }

    private static void mode(KeywordContext ctx) {
        switch (ctx.arg(1)) {
            case "http" -> ctx.proxy().mode = Mode.HTTP;
            case "tcp" -> ctx.proxy().mode = Mode.TCP;
            case "health" -> throw new ConfigException("'mode health' doesn't exist anymore. Please use 'http-request"
                    + " return' or 'tcp-request connection reject' instead.");
            default -> throw new ConfigException("unknown proxy mode '" + ctx.arg(1) + "'.");
        }
    }

    private static void id(KeywordContext ctx) {
        requireArg(ctx, 1, "'id' : expects an integer argument");
        int id = Units.atoi(ctx.arg(1));
        if (id <= 0) {
            throw new ConfigException("'id' : custom id has to be > 0.");
        }
        for (ProxyDraft other : ctx.draft().proxies) {
            if (other != ctx.proxy() && other.forcedId == id) {
                throw new ConfigException("'id' : proxy id " + id + " already used by " + other.describe() + ".");
            }
        }
        ctx.proxy().forcedId = id;
    }

    private static void bind(KeywordContext ctx) {
        requireArg(ctx, 1, "'bind' expects {<path>|[addr1]:port1[-end1]}{,[addr]:port[-end]}... as arguments.");
        List<String> options = ctx.argsFrom(2);
        BindOptions.Parsed extra = BindOptions.parse(options, ctx.arg(1), ctx.section().word());
        for (String one : Addresses.list(Addresses.expandEnv(ctx.arg(1), ctx.env()))) {
            Addresses.Address a;
            try {
                a = Addresses.parse(one, true, true, false);
            } catch (ConfigException e) {
                throw new ConfigException("'bind' : " + e.getMessage());
            }
            for (int port = a.port(); port <= a.lastPort(); port++) {
                ctx.proxy().binds.add(new BindSpec(ctx.location(), a.host(), port, options, extra.tls(),
                        extra.proto()));
            }
        }
    }

    private static void defaultBackend(KeywordContext ctx) {
        if (ctx.arg(1).isEmpty() || ctx.argc() > 2) {
            throw new ConfigException("'default_backend' expects a backend name.");
        }
        ctx.proxy().defaultBackend = ctx.arg(1);
    }

    private static void useBackend(KeywordContext ctx) {
        requireArg(ctx, 1, "'use_backend' expects a backend name.");
        int tail = Conditions.tailIndex(ctx.args(), 2);
        if (tail < 0 && ctx.argc() > 2) {
            throw new ConfigException("error detected while parsing switching rule : unknown keyword '" + ctx.arg(2)
                    + "' (expects 'if' or 'unless').");
        }
        ConditionSpec cond = Conditions.condition(ctx.args(), tail, ctx.location(), "use_backend");
        ctx.proxy().useBackends.add(new UseBackendSpec(ctx.location(), ctx.arg(1), cond));
    }

    private static void acl(KeywordContext ctx) {
        if (ctx.proxy().section == Section.DEFAULTS && ctx.proxy().name == null) {
            throw new ConfigException("'acl' not allowed in anonymous 'defaults' section.");
        }
        requireArg(ctx, 1, "'acl' expects an ACL name and a criterion.");
        String name = ctx.arg(1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ':')) {
                throw new ConfigException("character '" + c + "' is not permitted in acl name '" + name + "'.");
            }
        }
        requireArg(ctx, 2, "error detected while parsing ACL '" + name + "' : missing fetch method.");
        ctx.proxy().acls.add(new AclSpec(ctx.location(), name, ctx.argsFrom(2)));
    }

    private static void httpRule(KeywordContext ctx, List<HttpRuleSpec> rules) {
        String keyword = ctx.arg(0);
        if (ctx.proxy().section == Section.DEFAULTS && ctx.proxy().name == null) {
            throw new ConfigException("'" + keyword + "' not allowed in anonymous 'defaults' section.");
        }
        requireArg(ctx, 1, "'" + keyword + "' expects a rule name.");
        String action = ctx.arg(1);
        Set<String> known = keyword.equals("http-request")
                ? Set.of("set-header", "add-header", "del-header", "replace-header", "replace-value", "set-path",
                        "set-query", "set-uri", "set-method", "replace-path", "replace-uri", "allow", "deny", "return",
                        "redirect", "use-service")
                : Set.of("set-header", "add-header", "del-header", "replace-header", "replace-value", "set-status",
                        "allow", "deny", "return");
        int tail = Conditions.tailIndex(ctx.args(), 2);
        List<String> args = tail < 0 ? ctx.argsFrom(2) : ctx.args().subList(2, tail);
        // stick counters (persist/stick/StickAction): track-sc0..2 <key> [table <t>], sc-inc-gpc0|1(<sc>)
        boolean stick = keyword.equals("http-request") && action.matches("track-sc[0-2]|sc-inc-gpc[01]\\([^)]*\\)");
        if (stick && action.startsWith("track-sc") && args.isEmpty()) {
            throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '" + keyword
                    + " " + action + "' rule : missing fetch method.");
        }
        if (!known.contains(action) && !stick) {
            throw new ConfigException("'" + keyword + " " + action + "' is not yet supported by Berth (supported: "
                    + String.join(", ", known.stream().sorted().toList()) + ").");
        }
        if (action.matches("replace-(header|value)") && args.size() != 3) {
            throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '" + keyword
                    + " " + action + "' rule : expects exactly 3 arguments.");
        }
        if (action.matches("replace-(path|uri)") && args.size() != 2) {
            throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '" + keyword
                    + " " + action + "' rule : expects exactly 2 arguments <match-regex> and <replace-format>.");
        }
        if (action.matches("set-(path|query|uri|method)") && args.size() != 1) {
            throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '" + keyword
                    + " " + action + "' rule : expects exactly 1 argument <format>.");
        }
        if (action.equals("allow") && !args.isEmpty()) {
            throw new ConfigException("'" + keyword + " allow' expects either 'if' or 'unless' followed by a"
                    + " condition but found '" + args.get(0) + "'.", Diagnostic.Prefix.PARSING_TIGHT);
        }
        if ((action.equals("set-header") || action.equals("add-header")) && args.size() < 2) {
            throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '" + keyword
                    + " " + action + "' rule : expects exactly 2 arguments.");
        }
        if (action.equals("use-service")) {
            // the services Berth has (HAProxy 2.6's list: prometheus-exporter); the stats page is not one to name
            if (args.isEmpty()) {
                throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '"
                        + keyword + " use-service' rule : 'use-service' expects a service name.");
            }
            if (!args.get(0).equals("prometheus-exporter")) {
                throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '"
                        + keyword + " use-service' rule : '" + args.get(0) + "' unknown service name.");
            }
        }
        if (action.equals("del-header") && args.isEmpty()) {
            throw new ConfigException("error detected in " + ctx.proxy().describe() + " while parsing '" + keyword
                    + " " + action + "' rule : expects at least 1 argument.");
        }
        rules.add(new HttpRuleSpec(ctx.location(), action, args, Conditions.condition(ctx.args(), tail,
                ctx.location(), keyword)));
    }

    /**
     * {@code capture request|response header <name> len <length>}; the length is read as HAProxy's {@code atol}
     * reads it (its leading digits, 0 without any).
     */
    private static void capture(KeywordContext ctx, String direction) {
        if (!ctx.arg(2).equals("header") || ctx.arg(3).isEmpty() || !ctx.arg(4).equals("len")
                || ctx.arg(5).isEmpty()) {
            throw new ConfigException("'capture " + direction + "' expects 'header' <header_name> 'len' <len>.");
        }
        ctx.proxy().captures.add(new io.berth.model.CaptureSpec(direction.equals("response"), ctx.arg(3),
                atol(ctx.arg(5))));
    }

    /** {@code capture cookie <name> len <length>}: HAProxy checks only that a fourth word is there. */
    private static void captureCookie(KeywordContext ctx) {
        if (ctx.arg(4).isEmpty()) {
            throw new ConfigException("'capture' expects 'cookie' <cookie_name> 'len' <len>.");
        }
        ctx.proxy().cookieCapture = new io.berth.model.CookieCaptureSpec(ctx.arg(2), atol(ctx.arg(4)));
    }

    /** C's {@code atol} as HAProxy uses it for lengths: the leading digits, 0 without any. */
    private static int atol(String s) {
        int digits = 0;
        while (digits < s.length() && digits < 9 && Character.isDigit(s.charAt(digits))) {
            digits++;
        }
        return digits == 0 ? 0 : Integer.parseInt(s.substring(0, digits));
    }

    /**
     * {@code redirect ...}: the same rule as {@code http-request redirect ...}, kept with the http-request rules in
     * line order (HAProxy runs every http-request rule first and warns when a redirect line comes before one).
     */
    private static void redirect(KeywordContext ctx) {
        if (ctx.proxy().section == Section.DEFAULTS) {
            throw new ConfigException("'redirect' not allowed in 'defaults' section.");
        }
        requireArg(ctx, 1, "error detected in " + ctx.proxy().describe() + " while parsing redirect rule :"
                + " expects 'code', 'prefix', 'location', 'scheme', 'set-cookie', 'clear-cookie', 'drop-query' or"
                + " 'append-slash' (was '').");
        int tail = Conditions.tailIndex(ctx.args(), 1);
        List<String> args = tail < 0 ? ctx.argsFrom(1) : ctx.args().subList(1, tail);
        ctx.proxy().httpRequestRules.add(new HttpRuleSpec(ctx.location(), "redirect", args,
                Conditions.condition(ctx.args(), tail, ctx.location(), "redirect")));
    }

    private static final List<String> TIMEOUT_NAMES = List.of("client", "server", "connect", "check", "queue",
            "http-keep-alive", "http-request", "tunnel", "tarpit", "client-fin", "server-fin");

    private static void timeouts(List<Keyword> k) {
        for (String t : TIMEOUT_NAMES) {
            Set<Section> sections = switch (t) {
                case "client", "http-request", "http-keep-alive", "client-fin" -> FRONTENDS;
                case "tarpit" -> PROXIES;
                default -> BACKENDS;
            };
            k.add(Keyword.of("timeout " + t, "timeout " + t + " <timeout>", ctx -> {
                String name = "timeout " + t;
                if (ctx.arg(2).isEmpty()) {
                    throw new ConfigException("'" + name + "' expects an integer value (in milliseconds)");
                }
                long ms = Units.timeMs(ctx.arg(2), name);
                setTimeout(ctx.proxy(), t, ms);
            }, sections));
        }
        k.add(new Keyword("timeout", PROXIES, "timeout <name> <value>", Keyword.Support.FAMILY, ctx -> {
            throw new ConfigException("'timeout' supports 'client', 'server', 'connect', 'check', 'queue',"
                    + " 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got '"
                    + ctx.arg(1) + "')");
        }));
    }

    private static void setTimeout(ProxyDraft p, String name, long ms) {
        switch (name) {
            case "client" -> p.timeoutClient = ms;
            case "server" -> p.timeoutServer = ms;
            case "connect" -> p.timeoutConnect = ms;
            case "check" -> p.timeoutCheck = ms;
            case "queue" -> p.timeoutQueue = ms;
            case "http-keep-alive" -> p.timeoutHttpKeepAlive = ms;
            case "http-request" -> p.timeoutHttpRequest = ms;
            case "tunnel" -> p.timeoutTunnel = ms;
            case "tarpit" -> p.timeoutTarpit = ms;
            case "client-fin" -> p.timeoutClientFin = ms;
            case "server-fin" -> p.timeoutServerFin = ms;
            default -> throw new IllegalStateException(name);
        }
    }

    private static void options(List<Keyword> k) {
        k.add(Keyword.of("option forwardfor", "option forwardfor [except <network>] [header <name>] [if-none]",
                ProxyKeywords::forwardFor, PROXIES));
        k.add(simple("option httplog", FRONTENDS, (p, on) -> {
            p.httpLog = on;
            if (on) {
                p.tcpLog = false;
            }
        }));
        k.add(simple("option tcplog", FRONTENDS, (p, on) -> {
            p.tcpLog = on;
            if (on) {
                p.httpLog = false;
            }
        }));
        k.add(simple("option http-keep-alive", PROXIES, (p, on) -> p.connectionMode = HttpConnectionMode.KEEP_ALIVE));
        k.add(simple("option http-server-close", PROXIES, (p, on) ->
                p.connectionMode = on ? HttpConnectionMode.SERVER_CLOSE : HttpConnectionMode.KEEP_ALIVE));
        k.add(simple("option httpclose", PROXIES, (p, on) ->
                p.connectionMode = on ? HttpConnectionMode.CLOSE : HttpConnectionMode.KEEP_ALIVE));
        k.add(Keyword.of("option redispatch", "[no] option redispatch [<interval>]", ctx -> {
            ctx.proxy().redispatch = !ctx.negated();
            if (!ctx.arg(2).isEmpty()) {
                ctx.proxy().redispatchInterval = Units.atoi(ctx.arg(2));
            }
        }, BACKENDS));
        k.add(simple("option allbackups", BACKENDS, (p, on) -> p.allBackups = on));
        k.add(simple("option persist", BACKENDS, (p, on) -> p.persist = on));
        k.add(simple("option dontlognull", FRONTENDS, (p, on) -> p.dontLogNull = on));
        k.add(simple("option log-health-checks", BACKENDS, (p, on) -> p.logHealthChecks = on));
        for (String name : List.of("http-buffer-request", "httpchk-dummy", "tcp-check",
                "ssl-hello-chk", "smtpchk", "mysql-check", "pgsql-check", "redis-check", "ldap-check", "spop-check",
                "external-check", "abortonclose", "accept-invalid-http-request", "accept-invalid-http-response",
                "checkcache", "clitcpka", "srvtcpka", "tcpka", "contstats", "dontlog-normal", "http-ignore-probes",
                "http-no-delay", "http-pretend-keepalive", "http-use-proxy-header", "http-restrict-req-hdr-names",
                "independent-streams", "log-separate-errors", "logasap", "nolinger", "originalto",
                "prefer-last-server", "socket-stats", "splice-auto", "splice-request", "splice-response",
                "spop-check", "transparent", "http_proxy", "disable-h2-upgrade", "h1-case-adjust-bogus-client",
                "h1-case-adjust-bogus-server", "idle-close-on-response", "nolinger")) {
            String full = "option " + name;
            if (k.stream().noneMatch(x -> x.name().equals(full))) {
                k.add(Keyword.notYet(full, PROXIES));
            }
        }
        k.add(new Keyword("option", PROXIES, "option <name> ...", Keyword.Support.FAMILY, ctx -> {
            if (ctx.negated()) {
                throw new ConfigException("negation/default is not supported for option '" + ctx.arg(1) + "'.",
                        Diagnostic.Prefix.PARSING_TIGHT);
            }
            throw new ConfigException("unknown option '" + ctx.arg(1) + "'.");
        }));
    }

    /** An on/off option: {@code option X} sets it, {@code no option X} clears it; no argument allowed. */
    private static Keyword simple(String name, Set<Section> sections, java.util.function.BiConsumer<ProxyDraft,
            Boolean> set) {
        return Keyword.of(name, "[no] " + name, ctx -> {
            if (ctx.argc() > 2) {
                throw new ConfigException("'" + name + "' cannot handle unexpected argument '" + ctx.arg(2) + "'.");
            }
            set.accept(ctx.proxy(), !ctx.negated());
        }, sections);
    }

    private static void forwardFor(KeywordContext ctx) {
        ProxyDraft p = ctx.proxy();
        if (ctx.negated()) {
            throw new ConfigException("negation/default is not supported for option 'forwardfor'.",
                    Diagnostic.Prefix.PARSING_TIGHT);
        }
        p.forwardFor = true;
        p.forwardForHeader = "X-Forwarded-For";
        p.forwardForExcept = null;
        p.forwardForIfNone = false;
        int i = 2;
        while (i < ctx.argc()) {
            switch (ctx.arg(i)) {
                case "except" -> {
                    if (ctx.arg(i + 1).isEmpty()) {
                        throw new ConfigException("'option forwardfor' 'except' requires address or network as"
                                + " argument");
                    }
                    p.forwardForExcept = ctx.arg(i + 1);
                    i += 2;
                }
                case "header" -> {
                    if (ctx.arg(i + 1).isEmpty()) {
                        throw new ConfigException("'option forwardfor' 'header' requires header name as argument.");
                    }
                    p.forwardForHeader = ctx.arg(i + 1);
                    i += 2;
                }
                case "if-none" -> {
                    p.forwardForIfNone = true;
                    i++;
                }
                default -> throw new ConfigException("'option forwardfor' only supports optional values 'except',"
                        + " 'header' and 'if-none'.");
            }
        }
    }
}
