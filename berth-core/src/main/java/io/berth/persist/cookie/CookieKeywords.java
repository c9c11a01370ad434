package io.berth.persist.cookie;

import io.berth.config.ConfigException;
import io.berth.config.Conditions;
import io.berth.config.Diagnostic;
import io.berth.config.Keyword;
import io.berth.config.KeywordContext;
import io.berth.config.ProxyDraft;
import io.berth.config.Section;
import io.berth.model.CookieSpec;
import io.berth.model.PersistRuleSpec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The cookie-persistence keywords: {@code cookie}, {@code dynamic-cookie-key}, {@code force-persist} and
 * {@code ignore-persist}, parsed as HAProxy 2.6's {@code cfg_parse_listen} does, with its messages (the server's
 * {@code cookie VALUE} argument is parsed by the core server keywords). Registered by {@code Subsystems}; handlers
 * run on the parser thread only.
 */
public final class CookieKeywords {
    private CookieKeywords() {
    }

    public static List<Keyword> keywords() {
        return List.of(
                Keyword.of("cookie", "cookie <name> [rewrite|insert|prefix] [indirect] [nocache] [postonly]"
                        + " [preserve] [httponly] [secure] [domain <domain>]* [maxidle <idle>] [maxlife <life>]"
                        + " [dynamic] [attr <value>]*", CookieKeywords::cookie, Section.BACKENDS),
                Keyword.of("dynamic-cookie-key", "dynamic-cookie-key <string>", CookieKeywords::dynamicKey,
                        Section.BACKENDS),
                Keyword.of("force-persist", "force-persist { if | unless } <condition>",
                        ctx -> persistRule(ctx, true), EnumSet.of(Section.BACKEND, Section.LISTEN)),
                Keyword.of("ignore-persist", "ignore-persist { if | unless } <condition>",
                        ctx -> persistRule(ctx, false), EnumSet.of(Section.BACKEND, Section.LISTEN)));
    }

    private static void dynamicKey(KeywordContext ctx) {
        if (ctx.arg(1).isEmpty()) {
            throw new ConfigException("'dynamic-cookie-key' expects <secret_key> as argument.");
        }
        ctx.proxy().dynamicCookieKey = ctx.arg(1);
    }

    private static void persistRule(KeywordContext ctx, boolean force) {
        String kw = ctx.arg(0);
        if (!ctx.arg(1).equals("if") && !ctx.arg(1).equals("unless")) {
            throw new ConfigException("'" + kw + "' requires either 'if' or 'unless' followed by a condition.");
        }
        if (ctx.argc() < 3) {
            throw new ConfigException("error detected while parsing a '" + kw + "' rule : no condition after '"
                    + ctx.arg(1) + "'.");
        }
        ctx.proxy().persistRules.add(new PersistRuleSpec(ctx.location(), force,
                Conditions.condition(ctx.args(), 1, ctx.location(), kw)));
    }

    /**
     * {@code cookie NAME [options]}: a new line replaces the mode, flags, domains and max ages of an earlier one
     * (or of the defaults), but HAProxy keeps the {@code attr} values already set, so does Berth.
     */
    private static void cookie(KeywordContext ctx) {
        ProxyDraft p = ctx.proxy();
        String name = ctx.arg(1);
        if (name.isEmpty()) {
            throw new ConfigException("'cookie' expects <cookie_name> as argument.");
        }
        boolean rewrite = false, insert = false, prefix = false, indirect = false, nocache = false;
        boolean postOnly = false, preserve = false, httpOnly = false, secure = false, dynamic = false;
        long maxIdle = 0, maxLife = 0;
        List<String> domains = new ArrayList<>();
        List<String> attrs = new ArrayList<>(p.cookie == null ? List.of() : p.cookie.attributes());
        int i = 2;
        while (!ctx.arg(i).isEmpty()) {
            String w = ctx.arg(i);
            switch (w) {
                case "rewrite" -> rewrite = true;
                case "indirect" -> indirect = true;
                case "insert" -> insert = true;
                case "nocache" -> nocache = true;
                case "postonly" -> postOnly = true;
                case "preserve" -> preserve = true;
                case "prefix" -> prefix = true;
                case "httponly" -> httpOnly = true;
                case "secure" -> secure = true;
                case "dynamic" -> dynamic = true;
                case "domain" -> {
                    String d = ctx.arg(i + 1);
                    if (d.isEmpty()) {
                        throw new ConfigException("'domain' expects <domain> as argument.",
                                Diagnostic.Prefix.PARSING_TIGHT);
                    }
                    if (d.indexOf('.') < 0) {
                        ctx.warn("domain '" + d + "' contains no embedded dot, this configuration may not work"
                                + " properly (see RFC6265#5.2.3).");
                    }
                    for (int c = 0; c < d.length(); c++) {
                        char ch = d.charAt(c);
                        if (!(ch < 128 && Character.isLetterOrDigit(ch)) && ch != '.' && ch != '_' && ch != '-') {
                            throw new ConfigException("character '" + ch + "' is not permitted in domain name '" + d
                                    + "'.", Diagnostic.Prefix.PARSING_TIGHT);
                        }
                    }
                    domains.add(d);
                    i++;
                }
                case "maxidle" -> {
                    maxIdle = seconds(ctx.arg(i + 1), w, "<idletime>");
                    i++;
                }
                case "maxlife" -> {
                    maxLife = seconds(ctx.arg(i + 1), w, "<lifetime>");
                    i++;
                }
                case "attr" -> {
                    String v = ctx.arg(i + 1);
                    if (v.isEmpty()) {
                        throw new ConfigException("'attr' expects <value> as argument.",
                                Diagnostic.Prefix.PARSING_TIGHT);
                    }
                    for (int c = 0; c < v.length(); c++) {
                        char ch = v.charAt(c);
                        if (Character.isISOControl(ch) || ch == ';') {
                            throw new ConfigException(String.format("character '%%x%02X' is not permitted in"
                                    + " attribute value.", (int) ch), Diagnostic.Prefix.PARSING_TIGHT);
                        }
                    }
                    attrs.add(v);
                    i++;
                }
                default -> throw new ConfigException("'cookie' supports 'rewrite', 'insert', 'prefix', 'indirect',"
                        + " 'nocache', 'postonly', 'domain', 'maxidle', 'dynamic', 'maxlife' and 'attr' options.");
            }
            i++;
        }
        // HAProxy reports every incompatibility of the line, then drops it.
        boolean bad = false;
        if (rewrite && indirect) {
            ctx.alert("cookie 'rewrite' and 'indirect' modes are incompatible.", Diagnostic.Prefix.PARSING);
            bad = true;
        }
        if ((rewrite ? 1 : 0) + (insert ? 1 : 0) + (prefix ? 1 : 0) > 1) {
            ctx.alert("cookie 'rewrite', 'insert' and 'prefix' modes are incompatible.", Diagnostic.Prefix.PARSING);
            bad = true;
        }
        if (preserve && !insert && !indirect) {
            ctx.alert("cookie 'preserve' requires at least 'insert' or 'indirect'.", Diagnostic.Prefix.PARSING);
            bad = true;
        }
        if (bad) {
            return;
        }
        CookieSpec.Mode mode = insert ? CookieSpec.Mode.INSERT : rewrite ? CookieSpec.Mode.REWRITE
                : prefix ? CookieSpec.Mode.PREFIX : CookieSpec.Mode.PASSIVE;
        p.cookie = new CookieSpec(ctx.location(), name, mode, indirect, nocache, postOnly, preserve, httpOnly, secure,
                domains, maxIdle, maxLife, dynamic, attrs);
    }

    /**
     * HAProxy's {@code parse_time_err(..., TIME_UNIT_S)}: digits then an optional unit (us, ms, s, m, h, d),
     * rounded up to whole seconds.
     */
    static long seconds(String text, String option, String what) {
        if (text.isEmpty()) {
            throw new ConfigException("'" + option + "' expects " + what + " in seconds as argument.",
                    Diagnostic.Prefix.PARSING_TIGHT);
        }
        int i = 0;
        long value = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            value = Math.min(value * 10 + (text.charAt(i) - '0'), 1L << 50);
            i++;
        }
        if (i == 0) {
            throw unexpected(text.charAt(0), option);
        }
        long mult = 1, div = 1;
        if (i < text.length()) {
            char u = text.charAt(i);
            boolean two = i + 1 < text.length() && text.charAt(i + 1) == 's';
            switch (u) {
                case 's' -> { }
                case 'u' -> {
                    if (!two) {
                        throw unexpected(u, option);
                    }
                    div = 1_000_000;
                }
                case 'm' -> {
                    if (two) {
                        div = 1000;
                    } else {
                        mult = 60;
                    }
                }
                case 'h' -> mult = 3600;
                case 'd' -> mult = 86400;
                default -> throw unexpected(u, option);
            }
        }
        long result = (value * mult + div - 1) / div;
        if (result >= 0x80000000L) {
            throw new ConfigException("timer overflow in argument <" + text + "> to <" + option + ">, maximum value"
                    + " is 2147483647 s (~68 years).", Diagnostic.Prefix.PARSING_TIGHT);
        }
        if (result == 0 && value != 0) {
            throw new ConfigException("timer underflow in argument <" + text + "> to <" + option + ">, minimum"
                    + " non-null value is 1 s.", Diagnostic.Prefix.PARSING_TIGHT);
        }
        return result;
    }

    private static ConfigException unexpected(char c, String option) {
        return new ConfigException("unexpected character '" + c + "' in argument to <" + option + ">.",
                Diagnostic.Prefix.PARSING_TIGHT);
    }
}
