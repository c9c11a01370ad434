package io.berth.persist.stick;

import io.berth.config.ConfigException;
import io.berth.config.Conditions;
import io.berth.config.Keyword;
import io.berth.config.KeywordContext;
import io.berth.config.Section;
import io.berth.config.Units;
import io.berth.model.ConditionSpec;
import io.berth.model.StickRuleSpec;
import io.berth.model.StickTableSpec;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code stick-table} and {@code stick on|match|store-request|store-response} keywords, parsed as HAProxy
 * 2.6's {@code parse_stick_table()} and {@code cfg_parse_listen} do, with their messages. Names are resolved after
 * parsing ({@code ConfigResolver}: {@code unable to find stick-table}). Registered by {@code Subsystems};
 * handlers run on the parser thread only.
 */
public final class StickKeywords {
    /** Fetches that read the response, refused in request-time rules as HAProxy does. */
    private static final Set<String> RESPONSE_FETCHES = Set.of("res.cook", "scook", "res.scook", "res.cook_cnt",
            "scook_cnt", "res.hdr", "shdr", "res.fhdr", "res.hdr_cnt", "shdr_cnt", "status", "res.ver", "resp_ver");

    private StickKeywords() {
    }

    public static List<Keyword> keywords() {
        List<Keyword> k = new ArrayList<>();
        k.add(Keyword.of("stick-table", "stick-table type {ip|ipv6|integer|string [len <n>]|binary [len <n>]}"
                + " size <size> [expire <expire>] [nopurge] [peers <peersect>] [srvkey name|addr]"
                + " [store <data_type>,...]", StickKeywords::stickTable, Section.PROXIES));
        String tail = " <pattern> [table <table>] [{if | unless} <condition>]";
        k.add(Keyword.of("stick on", "stick on" + tail, StickKeywords::stick, Section.BACKENDS));
        k.add(Keyword.of("stick match", "stick match" + tail, StickKeywords::stick, Section.BACKENDS));
        k.add(Keyword.of("stick store-request", "stick store-request" + tail, StickKeywords::stick,
                Section.BACKENDS));
        k.add(Keyword.of("stick store-response", "stick store-response" + tail, StickKeywords::stick,
                Section.BACKENDS));
        // "stick store" (alias of store-request) and a wrong second word land here
        k.add(new Keyword("stick", Section.BACKENDS, "stick store" + tail, Keyword.Support.FAMILY,
                StickKeywords::stick));
        k.add(Keyword.of("table", "table <name> type {ip|ipv6|integer|string [len <n>]|binary [len <n>]}"
                + " size <size> [expire <expire>] [nopurge] [srvkey name|addr] [store <data_type>,...]",
                StickKeywords::peersTable, Section.PEERS));
        return k;
    }

    private static void stickTable(KeywordContext ctx) {
        if (ctx.section() == Section.DEFAULTS) {
            throw new ConfigException("'stick-table' is not supported in 'defaults' section.");
        }
        ctx.proxy().stickTable = table(ctx, "stick-table", 1, ctx.proxy().name, null);
    }

    /**
     * {@code table NAME ...} in a {@code peers} section (HAProxy's {@code cfgparse-peers.c}): a table named
     * {@code SECTION/NAME} locally, {@code /NAME} on the wire ({@link StickTableSpec#wireName}), synced by that
     * section; the arguments are those of {@code stick-table} without {@code peers}.
     */
    private static void peersTable(KeywordContext ctx) {
        // HAProxy 2.6 names a bare "table" line "SECTION/" and then misses its size; a second table of the same
        // name is accepted (-c says valid), the first one is used (StickTables.build)
        String section = ctx.peers().name;
        ctx.peers().tables.add(table(ctx, "table", 2, section + "/" + ctx.arg(1), section));
    }

    /**
     * HAProxy's {@code parse_stick_table()} from argument {@code first} on; messages start with {@code keyword}.
     *
     * @param peersSection the enclosing {@code peers} section for a {@code table} line (then the {@code peers}
     *                     argument is unknown, as in HAProxy), null for {@code stick-table}
     */
    private static StickTableSpec table(KeywordContext ctx, String keyword, int first, String name,
                                        String peersSection) {
        StickTableSpec.KeyType type = null;
        int keySize = 0;
        long size = 0;
        long expire = 0;
        boolean nopurge = false;
        String peers = peersSection;
        StickTableSpec.ServerKeyType srvkey = StickTableSpec.ServerKeyType.NAME;
        List<StickTableSpec.StoreSpec> store = new ArrayList<>();
        Set<StickDataType> seen = new HashSet<>();
        int i = first;
        while (!ctx.arg(i).isEmpty()) {
            String w = ctx.arg(i);
            switch (w) {
                case "size" -> {
                    String v = needArg(ctx, ++i, keyword);
                    try {
                        size = Units.size(v);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(keyword + ": unexpected character '" + e.getMessage()
                                + "' in argument of 'size'.");
                    }
                    i++;
                }
                case "peers" -> {
                    if (peersSection != null) {
                        throw new ConfigException(keyword + ": unknown argument '" + w + "'.");
                    }
                    peers = needArg(ctx, ++i, keyword);
                    i++;
                }
                case "expire" -> {
                    String v = needArg(ctx, ++i, keyword);
                    try {
                        expire = Units.timeMs(v);
                    } catch (ArithmeticException e) {
                        throw new ConfigException(keyword + ": timer overflow in argument <" + v + "> to <expire>,"
                                + " maximum value is 2147483647 ms (~24.8 days).");
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(keyword + ": unexpected character '" + e.getMessage()
                                + "' in argument of 'expire'.");
                    }
                    if (expire > Integer.MAX_VALUE) {
                        throw new ConfigException(keyword + ": timer overflow in argument <" + v + "> to <expire>,"
                                + " maximum value is 2147483647 ms (~24.8 days).");
                    }
                    i++;
                }
                case "nopurge" -> {
                    nopurge = true;
                    i++;
                }
                case "type" -> {
                    i++;
                    type = keyType(ctx.arg(i));
                    if (type == null) {
                        throw new ConfigException(keyword + ": unknown type '" + ctx.arg(i) + "'.");
                    }
                    keySize = switch (type) {
                        case IP, INTEGER -> 4;
                        case IPV6 -> 16;
                        case STRING, BINARY -> 32;
                    };
                    i++;
                    if ((type == StickTableSpec.KeyType.STRING || type == StickTableSpec.KeyType.BINARY)
                            && ctx.arg(i).equals("len")) {
                        i++;
                        keySize = Units.atoi(ctx.arg(i));
                        if (keySize <= 0) {
                            throw new ConfigException(keyword + ": unknown type '" + ctx.arg(i) + "'.");
                        }
                        if (type == StickTableSpec.KeyType.STRING) {
                            keySize++; // room for HAProxy's NUL
                        }
                        i++;
                    }
                }
                case "store" -> {
                    storeList(ctx, ctx.arg(++i), store, seen, keyword);
                    i++;
                }
                case "srvkey" -> {
                    String v = ctx.arg(++i);
                    srvkey = switch (v) {
                        case "name" -> StickTableSpec.ServerKeyType.NAME;
                        case "addr" -> StickTableSpec.ServerKeyType.ADDR;
                        default -> throw new ConfigException(keyword + " : unknown server key type '" + v + "'.");
                    };
                    i++;
                }
                default -> throw new ConfigException(keyword + ": unknown argument '" + w + "'.");
            }
        }
        if (size == 0) {
            throw new ConfigException(keyword + ": missing size.");
        }
        if (type == null) {
            throw new ConfigException(keyword + ": missing type.");
        }
        return new StickTableSpec(name, ctx.location(), type, keySize, size, expire, nopurge, peers, srvkey, store);
    }

    private static String needArg(KeywordContext ctx, int i, String keyword) {
        if (ctx.arg(i).isEmpty()) {
            throw new ConfigException(keyword + ": missing argument after '" + ctx.arg(i - 1) + "'.");
        }
        return ctx.arg(i);
    }

    private static StickTableSpec.KeyType keyType(String word) {
        for (StickTableSpec.KeyType t : StickTableSpec.KeyType.values()) {
            if (t.word().equals(word)) {
                return t;
            }
        }
        return null;
    }

    /** {@code store a,b(arg),...}: HAProxy's comma list, arguments in parentheses. */
    private static void storeList(KeywordContext ctx, String list, List<StickTableSpec.StoreSpec> out,
                                  Set<StickDataType> seen, String keyword) {
        int p = 0;
        while (p < list.length()) {
            int start = p;
            String arg = null;
            String name = null;
            while (p < list.length() && list.charAt(p) != ',') {
                if (list.charAt(p) == '(') {
                    name = list.substring(start, p);
                    int close = list.indexOf(')', p);
                    if (close < 0) {
                        throw new ConfigException(keyword + ": missing closing parenthesis after store option '"
                                + name + "'.");
                    }
                    arg = list.substring(p + 1, close);
                    p = close;
                }
                p++;
            }
            if (name == null) {
                name = list.substring(start, p);
            }
            p++;
            if (name.equals("gpt") || name.equals("gpc") || name.equals("gpc_rate")) {
                throw new ConfigException(keyword + ": store option '" + name + "' is not yet supported by Berth.");
            }
            StickDataType t = StickDataType.byKeyword(name);
            if (t == null) {
                throw new ConfigException(keyword + ": unknown store option '" + name + "'.");
            }
            if (!seen.add(t)) {
                ctx.warn(keyword + ": store option '" + name + "' already enabled, ignored.");
                continue;
            }
            long period = -1;
            if (t.isRate()) {
                if (arg == null) {
                    throw new ConfigException(keyword + ": missing argument to store option '" + name + "'.");
                }
                try {
                    period = Units.timeMs(arg);
                } catch (RuntimeException e) {
                    throw new ConfigException(keyword + ": error when processing store option '" + name + "'.");
                }
            } else if (arg != null) {
                throw new ConfigException(keyword + ": unexpected argument to store option '" + name + "'.");
            }
            out.add(new StickTableSpec.StoreSpec(t.keyword(), period));
        }
    }

    private static void stick(KeywordContext ctx) {
        if (ctx.section() == Section.DEFAULTS) {
            throw new ConfigException("'stick' not allowed in 'defaults' section.");
        }
        StickRuleSpec.Kind kind = switch (ctx.arg(1)) {
            case "on" -> StickRuleSpec.Kind.ON;
            case "match" -> StickRuleSpec.Kind.MATCH;
            case "store", "store-request" -> StickRuleSpec.Kind.STORE_REQUEST;
            case "store-response" -> StickRuleSpec.Kind.STORE_RESPONSE;
            default -> throw new ConfigException("'stick' expects 'on', 'match', or 'store'.");
        };
        String expr = ctx.arg(2);
        if (expr.isEmpty()) {
            throw new ConfigException("'stick' expects a fetch method.");
        }
        try {
            new SampleCompiler(List.of()).typedExpression(expr);
        } catch (SampleException e) {
            throw new ConfigException("'stick': " + e.getMessage());
        }
        String fetch = fetchName(expr);
        if (kind != StickRuleSpec.Kind.STORE_RESPONSE && RESPONSE_FETCHES.contains(fetch)) {
            throw new ConfigException("'stick': fetch method '" + fetch + "' extracts information from 'HTTP response"
                    + " headers', none of which is available during request.");
        }
        int i = 3;
        String table = null;
        if (ctx.arg(i).equals("table")) {
            table = ctx.arg(i + 1);
            i += 2;
        }
        ConditionSpec cond = null;
        if (ctx.arg(i).equals("if") || ctx.arg(i).equals("unless")) {
            cond = Conditions.condition(ctx.args(), i, ctx.location(), "stick");
        } else if (!ctx.arg(i).isEmpty()) {
            throw new ConfigException("'stick': unknown keyword '" + ctx.arg(i) + "'.");
        }
        ctx.proxy().stickRules.add(new StickRuleSpec(ctx.location(), kind, expr, table, cond));
    }

    /** The fetch keyword of an expression: {@code req.hdr(x),lower} → {@code req.hdr}. */
    static String fetchName(String expr) {
        int end = expr.length();
        for (int i = 0; i < expr.length(); i++) {
            if (expr.charAt(i) == '(' || expr.charAt(i) == ',') {
                end = i;
                break;
            }
        }
        return expr.substring(0, end);
    }
}
