package io.berth.sample;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sample fetch keywords Berth knows, as HAProxy 2.6 names them (doc/configuration.txt §7.3.2–7.3.6),
 * with their output type and argument rules. Immutable table, read at configuration time only.
 */
final class Fetches {
    /** Binds a fetch's arguments; throws with HAProxy's wording when they do not fit. */
    @FunctionalInterface
    interface Factory {
        SampleFetch create(FetchArgs args, String rest) throws SampleException;
    }

    /** One fetch keyword: its output type (which also gives the default ACL match) and how to bind it. */
    record Def(String name, Sample.Type type, Factory factory) {
    }

    /** Fetches whose ACL derivatives {@code NAME_beg}, {@code NAME_sub}, ... exist (HAProxy's acl keyword list). */
    static final Set<String> DERIVABLE = Set.of("hdr", "req.hdr", "res.hdr", "shdr", "path", "url", "base", "urlp",
            "cook", "req.cook", "scook", "res.scook", "fhdr", "req.fhdr", "method");

    private static final Map<String, Def> DEFS = new HashMap<>();

    static {
        noArg("src", Sample.Type.IP, ctx -> ip(ctx.source()));
        noArg("dst", Sample.Type.IP, ctx -> ip(ctx.destination()));
        noArg("src_port", Sample.Type.INT, ctx -> port(ctx.source()));
        noArg("dst_port", Sample.Type.INT, ctx -> port(ctx.destination()));
        noArg("method", Sample.Type.STR, ctx -> str(ctx.method()));
        noArg("path", Sample.Type.STR, ctx -> str(HttpText.path(ctx.uri())));
        noArg("url", Sample.Type.STR, ctx -> str(ctx.uri()));
        noArg("query", Sample.Type.STR, ctx -> str(HttpText.query(ctx.uri())));
        noArg("base", Sample.Type.STR, Fetches::base);
        noArg("req.ver", Sample.Type.STR, Fetches::version);
        noArg("req_ver", Sample.Type.STR, Fetches::version);
        noArg("req.proto_http", Sample.Type.BOOL, ctx -> Sample.ofBool(ctx.method() != null));
        noArg("always_true", Sample.Type.BOOL, ctx -> Sample.ofBool(true));
        noArg("always_false", Sample.Type.BOOL, ctx -> Sample.ofBool(false));
        noArg("srv_name", Sample.Type.STR, ctx -> str(ctx.serverName()));
        noArg("srv_id", Sample.Type.INT, ctx -> ctx.serverName() == null ? null : Sample.ofInt(ctx.serverId()));
        noArg("be_name", Sample.Type.STR, ctx -> str(ctx.backendName()));
        noArg("fe_name", Sample.Type.STR, ctx -> str(ctx.frontendName()));
        noArg("status", Sample.Type.INT, ctx -> ctx.status() == 0 ? null : Sample.ofInt(ctx.status()));
        // TLS of the client connection (HAProxy's ssl_fc family): ssl_fc is false on a plain connection, the
        // others are absent there.
        noArg("ssl_fc", Sample.Type.BOOL, ctx -> Sample.ofBool(ctx.frontendTls() != null));
        noArg("ssl_fc_sni", Sample.Type.STR, ctx -> ctx.frontendTls() == null ? null : str(ctx.frontendTls().sni()));
        noArg("ssl_fc_protocol", Sample.Type.STR,
                ctx -> ctx.frontendTls() == null ? null : str(ctx.frontendTls().protocol()));
        noArg("ssl_fc_cipher", Sample.Type.STR,
                ctx -> ctx.frontendTls() == null ? null : str(ctx.frontendTls().cipher()));
        noArg("ssl_fc_alpn", Sample.Type.STR, ctx -> ctx.frontendTls() == null ? null : str(ctx.frontendTls().alpn()));

        for (String n : List.of("hdr", "req.hdr")) {
            add(n, Sample.Type.STR, (a, r) -> headers(a, r, false, true, Sample.Type.STR));
        }
        for (String n : List.of("res.hdr", "shdr")) {
            add(n, Sample.Type.STR, (a, r) -> headers(a, r, true, true, Sample.Type.STR));
        }
        for (String n : List.of("fhdr", "req.fhdr")) {
            add(n, Sample.Type.STR, (a, r) -> headers(a, r, false, false, Sample.Type.STR));
        }
        add("res.fhdr", Sample.Type.STR, (a, r) -> headers(a, r, true, false, Sample.Type.STR));
        for (String n : List.of("hdr_ip", "req.hdr_ip")) {
            add(n, Sample.Type.IP, (a, r) -> headers(a, r, false, true, Sample.Type.IP));
        }
        for (String n : List.of("hdr_val", "req.hdr_val")) {
            add(n, Sample.Type.INT, (a, r) -> headers(a, r, false, true, Sample.Type.INT));
        }
        for (String n : List.of("hdr_cnt", "req.hdr_cnt")) {
            add(n, Sample.Type.INT, (a, r) -> count(a, r, false, true));
        }
        for (String n : List.of("fhdr_cnt", "req.fhdr_cnt")) {
            add(n, Sample.Type.INT, (a, r) -> count(a, r, false, false));
        }
        for (String n : List.of("res.hdr_cnt", "shdr_cnt")) {
            add(n, Sample.Type.INT, (a, r) -> count(a, r, true, true));
        }
        for (String n : List.of("cook", "req.cook")) {
            add(n, Sample.Type.STR, (a, r) -> cookie(a, r, false));
        }
        for (String n : List.of("res.cook", "scook")) {
            add(n, Sample.Type.STR, (a, r) -> cookie(a, r, true));
        }
        for (String n : List.of("cook_cnt", "req.cook_cnt")) {
            add(n, Sample.Type.INT, (a, r) -> cookieCount(a, r, false));
        }
        for (String n : List.of("res.cook_cnt", "scook_cnt")) {
            add(n, Sample.Type.INT, (a, r) -> cookieCount(a, r, true));
        }
        for (String n : List.of("url_param", "urlp")) {
            add(n, Sample.Type.STR, Fetches::urlParam);
        }
        // The ACL derivative "res.scook" names the response cookie fetch in HAProxy's ACL table.
        DEFS.put("res.scook", new Def("res.scook", Sample.Type.STR, (a, r) -> cookie(a, r, true)));
        // sc_*, sc0_*..sc2_*, src_*: stick counters (persist/stick through SampleContext.trackedCounters())
        StickFetches.register(Fetches::add);
    }

    private Fetches() {
    }

    /** The definition of fetch {@code name}, or null when HAProxy 2.6 would say "unknown fetch method". */
    static Def find(String name) {
        return DEFS.get(name);
    }

    private static void noArg(String name, Sample.Type type, SampleFetch fetch) {
        add(name, type, (a, rest) -> {
            a.atMost(0, rest);
            return fetch;
        });
    }

    private static void add(String name, Sample.Type type, Factory f) {
        DEFS.put(name, new Def(name, type, f));
    }

    private static Sample str(String s) {
        return s == null ? null : Sample.ofString(s);
    }

    private static Sample ip(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        InetAddress addr = a.getAddress();
        return addr == null ? null : Sample.ofIp(addr);
    }

    private static Sample port(InetSocketAddress a) {
        return a == null ? null : Sample.ofInt(a.getPort());
    }

    /** {@code base}: first Host header + path; absent without a Host header, as in HAProxy. */
    private static Sample base(SampleContext ctx) {
        List<String> host = ctx.requestHeaders("host");
        String path = HttpText.path(ctx.uri());
        if (host.isEmpty() || path == null) {
            return null;
        }
        return Sample.ofString(host.get(0).strip() + path);
    }

    /** {@code req.ver}: the version without its {@code HTTP/} prefix, e.g. {@code 1.1}. */
    private static Sample version(SampleContext ctx) {
        String v = ctx.version();
        if (v == null) {
            return null;
        }
        return Sample.ofString(v.startsWith("HTTP/") ? v.substring(5) : v);
    }

    /**
     * {@code hdr(NAME[,OCC])} and its relatives. Without OCC the expression value is the last occurrence and
     * an ACL tries every one; with OCC both see only that occurrence. Berth needs the name: the data plane
     * exposes headers by name only.
     */
    private static SampleFetch headers(FetchArgs a, String rest, boolean response, boolean split, Sample.Type as)
            throws SampleException {
        a.atMost(2, rest);
        String name = a.string(0, true);
        int occ = (int) a.integer(1, false, 0);
        return new SampleFetch() {
            private List<String> values(SampleContext ctx) {
                List<String> lines = response ? ctx.responseHeaders(name) : ctx.requestHeaders(name);
                return split ? HttpText.splitValues(lines) : lines;
            }

            private Sample convert(String v) {
                if (as == Sample.Type.IP) {
                    InetAddress ip = Sample.parseIp(stripPort(v));
                    return ip == null ? null : Sample.ofIp(ip);
                }
                if (as == Sample.Type.INT) {
                    Long n = Sample.parseLeadingInt(v);
                    return n == null ? null : Sample.ofInt(n);
                }
                return Sample.ofString(v);
            }

            @Override
            public Sample one(SampleContext ctx) {
                String v = HttpText.occurrence(values(ctx), occ == 0 ? -1 : occ);
                return v == null ? null : convert(v);
            }

            @Override
            public List<Sample> all(SampleContext ctx) {
                if (occ != 0) {
                    Sample s = one(ctx);
                    return s == null ? List.of() : List.of(s);
                }
                List<Sample> out = new ArrayList<>();
                for (String v : values(ctx)) {
                    Sample s = convert(v);
                    if (s != null) {
                        out.add(s);
                    }
                }
                return out;
            }
        };
    }

    /** {@code hdr_ip} accepts {@code a.b.c.d:port} and drops the port. */
    private static String stripPort(String v) {
        int colon = v.indexOf(':');
        if (colon > 0 && v.indexOf(':', colon + 1) < 0 && v.indexOf('.') >= 0) {
            return v.substring(0, colon);
        }
        return v;
    }

    private static SampleFetch count(FetchArgs a, String rest, boolean response, boolean split)
            throws SampleException {
        a.atMost(1, rest);
        String name = a.string(0, true);
        return ctx -> {
            List<String> lines = response ? ctx.responseHeaders(name) : ctx.requestHeaders(name);
            return Sample.ofInt(split ? HttpText.splitValues(lines).size() : lines.size());
        };
    }

    /**
     * {@code req.cook([NAME])}: the last cookie called NAME (without NAME: the first cookie); an ACL tries
     * every matching cookie.
     */
    private static SampleFetch cookie(FetchArgs a, String rest, boolean response) throws SampleException {
        a.atMost(1, rest);
        String name = a.string(0, false);
        String header = response ? "set-cookie" : "cookie";
        return new SampleFetch() {
            private List<String> values(SampleContext ctx) {
                List<String> lines = response ? ctx.responseHeaders(header) : ctx.requestHeaders(header);
                return HttpText.cookieValues(lines, response, name);
            }

            @Override
            public Sample one(SampleContext ctx) {
                String v = HttpText.occurrence(values(ctx), name == null ? 1 : -1);
                return v == null ? null : Sample.ofString(v);
            }

            @Override
            public List<Sample> all(SampleContext ctx) {
                return values(ctx).stream().map(Sample::ofString).toList();
            }
        };
    }

    private static SampleFetch cookieCount(FetchArgs a, String rest, boolean response) throws SampleException {
        a.atMost(1, rest);
        String name = a.string(0, false);
        String header = response ? "set-cookie" : "cookie";
        return ctx -> {
            List<String> lines = response ? ctx.responseHeaders(header) : ctx.requestHeaders(header);
            return Sample.ofInt(HttpText.cookieValues(lines, response, name).size());
        };
    }

    /** {@code url_param([NAME[,DELIM]])}: the first parameter called NAME; an ACL tries every one. */
    private static SampleFetch urlParam(FetchArgs a, String rest) throws SampleException {
        a.atMost(2, rest);
        String name = a.string(0, false);
        String d = a.string(1, false);
        char delim = d == null || d.isEmpty() ? 0 : d.charAt(0);
        return new SampleFetch() {
            @Override
            public Sample one(SampleContext ctx) {
                List<String> v = HttpText.urlParams(ctx.uri(), name, delim);
                return v.isEmpty() ? null : Sample.ofString(v.get(0));
            }

            @Override
            public List<Sample> all(SampleContext ctx) {
                return HttpText.urlParams(ctx.uri(), name, delim).stream().map(Sample::ofString).toList();
            }
        };
    }
}
