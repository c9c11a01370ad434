package io.berth.config;

import io.berth.model.ConditionSpec;
import io.berth.model.HttpRuleSpec;

import java.util.ArrayList;
import java.util.List;

import static io.berth.config.Section.PROXIES;

/**
 * The proxy {@code stats} keywords of the HTML status page: {@code stats enable|uri|refresh|auth|realm|
 * hide-version|show-legends|show-node}. HAProxy keeps them in the proxy's {@code uri_auth} and checks the URI
 * after the {@code http-request} rules; Berth writes the same settings as one {@code http-request use-service}
 * rule ({@link #SERVICE}, arguments as name/value pairs, condition {@code url_beg <uri>}) that each further
 * {@code stats} line rewrites and moves to the end of the proxy's rules, so the data plane answers it like any
 * other local reply. Handlers run on the parser thread.
 */
public final class StatsKeywords {
    /** The service name of the stats page; not a name a configuration can write after {@code use-service}. */
    public static final String SERVICE = "<stats>";
    /** HAProxy's default {@code STATS_DEFAULT_URI} and realm. */
    public static final String DEFAULT_URI = "/haproxy?stats";
    public static final String DEFAULT_REALM = "HAProxy Statistics";

    private StatsKeywords() {
    }

    public static List<Keyword> keywords() {
        List<Keyword> k = new ArrayList<>();
        k.add(Keyword.of("stats enable", "stats enable", ctx -> set(ctx, null, null), PROXIES));
        k.add(Keyword.of("stats uri", "stats uri <prefix>", ctx -> {
            ProxyKeywords.requireArg(ctx, 2, "'uri' needs an URI prefix.");
            set(ctx, "uri", ctx.arg(2));
        }, PROXIES));
        k.add(Keyword.of("stats refresh", "stats refresh <delay>", ctx -> {
            ProxyKeywords.requireArg(ctx, 2, "'refresh' needs a refresh period.");
            set(ctx, "refresh", String.valueOf(Units.timeMs(ctx.arg(2), "stats refresh") / 1000));
        }, PROXIES));
        k.add(Keyword.of("stats realm", "stats realm <realm>", ctx -> {
            ProxyKeywords.requireArg(ctx, 2, "'realm' needs an realm name.");
            set(ctx, "realm", ctx.arg(2));
        }, PROXIES));
        k.add(Keyword.of("stats auth", "stats auth <user>:<password>", ctx -> {
            ProxyKeywords.requireArg(ctx, 2, "'auth' needs a user:password account.");
            if (!ctx.arg(2).contains(":")) {
                throw new ConfigException("'auth' needs a user:password account.");
            }
            set(ctx, "auth", ctx.arg(2));
        }, PROXIES));
        for (String flag : List.of("hide-version", "show-legends", "show-node")) {
            k.add(Keyword.of("stats " + flag, "stats " + flag, ctx -> set(ctx, flag, "1"), PROXIES));
        }
        return k;
    }

    /** Adds {@code name value} to the proxy's stats rule (creating it), keeping one {@code uri}/{@code realm}. */
    private static void set(KeywordContext ctx, String name, String value) {
        ProxyDraft p = ctx.proxy();
        List<String> args = new ArrayList<>(List.of(SERVICE, "uri", DEFAULT_URI));
        for (int i = 0; i < p.httpRequestRules.size(); i++) {
            HttpRuleSpec r = p.httpRequestRules.get(i);
            if (r.action().equals("use-service") && r.args().get(0).equals(SERVICE)) {
                args = new ArrayList<>(r.args());
                p.httpRequestRules.remove(i);
                break;
            }
        }
        if (name != null) {
            boolean single = !name.equals("auth");
            for (int i = 1; single && i + 1 < args.size(); i += 2) {
                if (args.get(i).equals(name)) {
                    args.remove(i + 1);
                    args.remove(i);
                    break;
                }
            }
            args.add(name);
            args.add(value);
        }
        String uri = DEFAULT_URI;
        for (int i = 1; i + 1 < args.size(); i += 2) {
            if (args.get(i).equals("uri")) {
                uri = args.get(i + 1);
            }
        }
        ConditionSpec when = new ConditionSpec(ctx.location(), false, List.of("{", "url_beg", uri, "}"));
        p.httpRequestRules.add(new HttpRuleSpec(ctx.location(), "use-service", args, when));
    }
}
