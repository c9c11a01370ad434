package io.berth.config;

import io.berth.model.TcpRuleSpec;
import io.berth.model.TimeoutsSpec;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code tcp-request} keyword: {@code inspect-delay <time>} and the {@code connection}, {@code session} and
 * {@code content} rule sets of a frontend or listen, with the actions Berth runs ({@code accept}, {@code reject},
 * {@code track-sc0..2 <sample> [table <name>]}, {@code sc-inc-gpc0(N)}, {@code sc-inc-gpc1(N)}) and an optional
 * {@code if|unless} condition. Every other HAProxy action ({@code expect-proxy}, {@code set-var},
 * {@code capture}, {@code silent-drop}, ...) is an error naming it. Messages follow HAProxy 2.6's
 * {@code tcp_parse_tcp_req}. Registered by {@code Subsystems}; handlers run on the parser thread.
 */
public final class TcpRequestKeywords {
    /** The actions Berth implements, as listed in its error message. */
    static final String SUPPORTED = "accept, reject, track-sc0, track-sc1, track-sc2, sc-inc-gpc0(<sc>),"
            + " sc-inc-gpc1(<sc>)";
    private static final Pattern TRACK = Pattern.compile("track-sc([0-9]+)");
    private static final Pattern INC_GPC = Pattern.compile("sc-inc-gpc[01]\\(([^)]*)\\)");
    /** {@code MAX_SESS_STKCTR} of a default HAProxy 2.6 build. */
    private static final int SLOTS = 3;

    private TcpRequestKeywords() {
    }

    public static List<Keyword> keywords() {
        return List.of(Keyword.of("tcp-request", "tcp-request {inspect-delay <time> | connection|session|content"
                        + " <action> [args...] [{if | unless} <condition>]}", TcpRequestKeywords::tcpRequest,
                Section.PROXIES));
    }

    private static void tcpRequest(KeywordContext ctx) {
        ProxyDraft p = ctx.proxy();
        String what = ctx.arg(1);
        if (what.isEmpty()) {
            throw new ConfigException(p.section == Section.DEFAULTS ? "missing argument for 'tcp-request' in"
                    + " defaults section" : "missing argument for 'tcp-request' in " + p.describe());
        }
        if (p.section == Section.DEFAULTS && (p.name == null || p.name.isEmpty())
                && (what.equals("inspect-delay") || what.equals("connection") || what.equals("session")
                || what.equals("content"))) {
            throw new ConfigException("tcp-request " + what + " is not allowed in anonymous 'defaults' sections");
        }
        if (what.equals("inspect-delay")) {
            inspectDelay(ctx, p);
            return;
        }
        TcpRuleSpec.Phase phase = switch (what) {
            case "connection" -> TcpRuleSpec.Phase.CONNECTION;
            case "session" -> TcpRuleSpec.Phase.SESSION;
            case "content" -> TcpRuleSpec.Phase.CONTENT;
            default -> throw new ConfigException("'tcp-request' expects 'inspect-delay', 'connection', or 'content'"
                    + " in " + p.describe() + " (got '" + what + "')");
        };
        if (p.section != Section.DEFAULTS && !p.section.hasFrontend() && phase != TcpRuleSpec.Phase.CONTENT) {
            throw new ConfigException("tcp-request " + what + " is not allowed because " + p.describe()
                    .replace("'", "") + " is not a frontend");
        }
        p.tcpRequestRules.add(rule(ctx, p, phase));
    }

    private static void inspectDelay(KeywordContext ctx, ProxyDraft p) {
        String text = ctx.arg(2);
        long ms;
        try {
            ms = text.isEmpty() ? -1 : Units.timeMs(text);
        } catch (ArithmeticException e) {
            throw new ConfigException("'tcp-request inspect-delay' expects a positive delay in milliseconds, in "
                    + p.describe() + " (timer overflow in '" + text + "', maximum value is 2147483647 ms or ~24.8"
                    + " days)");
        } catch (IllegalArgumentException e) {
            ms = -1;
        }
        if (ms < 0) {
            throw new ConfigException("'tcp-request inspect-delay' expects a positive delay in milliseconds, in "
                    + p.describe());
        }
        if (p.tcpInspectDelay != TimeoutsSpec.UNSET && p.tcpInspectDelay != 0) {
            ctx.warn("ignoring tcp-request inspect-delay (was already defined) in " + p.describe());
            return;
        }
        p.tcpInspectDelay = ms;
    }

    /** Parses {@code <action> [args...] [if|unless <cond>]} from word 2 on. */
    private static TcpRuleSpec rule(KeywordContext ctx, ProxyDraft p, TcpRuleSpec.Phase phase) {
        String prefix = "tcp-request " + phase.word();
        String action = ctx.arg(2);
        if (action.isEmpty()) {
            throw new ConfigException("'" + prefix + "' expects 'accept', 'reject', 'track-sc0' ... 'track-sc2'"
                    + " in " + p.describe() + " (got '').");
        }
        int tail = Conditions.tailIndex(ctx.args(), 3);
        List<String> args = tail < 0 ? ctx.argsFrom(3) : ctx.args().subList(3, tail);
        Matcher track = TRACK.matcher(action);
        Matcher inc = INC_GPC.matcher(action);
        if (action.equals("accept") || action.equals("reject") || inc.matches()) {
            if (inc.matches()) {
                checkSlot(prefix, action, inc.group(1));
            }
            if (!args.isEmpty()) {
                throw new ConfigException("'" + prefix + " " + action + "' only accepts 'if' or 'unless', in "
                        + p.describe() + " (got '" + args.get(0) + "')");
            }
        } else if (track.matches()) {
            checkSlot(prefix, action, track.group(1));
            if (args.isEmpty()) {
                throw new ConfigException("'" + prefix + " " + action + "' : missing fetch method");
            }
            if (args.size() >= 2 && !args.get(1).equals("table")) {
                throw new ConfigException("'" + prefix + " " + action + "' only accepts 'if' or 'unless', in "
                        + p.describe() + " (got '" + args.get(1) + "')");
            }
            if (args.size() == 2) {
                throw new ConfigException("'" + prefix + " " + action + "' : missing table name");
            }
            if (args.size() > 3) {
                throw new ConfigException("'" + prefix + " " + action + "' only accepts 'if' or 'unless', in "
                        + p.describe() + " (got '" + args.get(3) + "')");
            }
        } else {
            throw new ConfigException("'" + prefix + " " + action + "' is not supported by Berth (supported: "
                    + SUPPORTED + ").");
        }
        return new TcpRuleSpec(ctx.location(), phase, action, args,
                Conditions.condition(ctx.args(), tail, ctx.location(), prefix));
    }

    /** A tracked-counter number must be 0..2 (HAProxy's {@code cfg_parse_track_sc_num}). */
    private static void checkSlot(String prefix, String action, String number) {
        int n;
        try {
            n = Integer.parseInt(number.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n >= SLOTS) {
            throw new ConfigException("'" + prefix + " " + action + "' : invalid stick table track ID '"
                    + number + "'. The max allowed ID is " + (SLOTS - 1));
        }
    }
}
