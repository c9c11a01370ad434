package io.berth.api;

import io.berth.persist.stick.StickTable;
import io.berth.proxy.http.Services;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The HTML status page of {@code stats enable} / {@code stats uri}, in the spirit of HAProxy's: one table per
 * proxy with its FRONTEND row, one row per server and its BACKEND row (state in HAProxy's colours, weight,
 * sessions current/max/limit/total, balanced picks, bytes, denials, errors, retries and redispatches,
 * persistence hits, check status), then the stick tables with their fill. {@code ;csv} after the URI returns the
 * {@code show stat} CSV. Settings come from the {@code stats} keywords as name/value arguments of the rule
 * ({@code config/StatsKeywords}). {@code stats auth} is checked with HTTP basic auth ({@code 401} and
 * {@code www-authenticate} otherwise). Stateless; runs on an event loop.
 */
final class StatsPage {
    private static final String CSS = """
            body{font-family:arial,helvetica,sans-serif;font-size:12px;background:#fff;color:#000;margin:8px}
            h1{font-size:18px;color:#fff;background:#20377a;padding:6px 10px;margin:0 0 8px}
            h2{font-size:13px;margin:14px 0 2px}
            table{border-collapse:collapse;margin-bottom:6px}
            th,td{border:1px solid #999;padding:1px 5px;text-align:right;white-space:nowrap}
            th{background:#20377a;color:#fff;font-weight:normal}
            td.n{text-align:left}
            tr.fe td,tr.be td{background:#eee;font-weight:bold}
            tr.up td{background:#c0ffc0} tr.going td{background:#ffffa0} tr.down td{background:#ff9090}
            tr.maint td{background:#c07820;color:#fff} tr.drain td{background:#20a0ff} tr.nolb td{background:#ffd020}
            tr.nocheck td{background:#e0e0e0}
            .legend span{display:inline-block;padding:1px 6px;margin-right:4px;border:1px solid #999}
            """;

    private StatsPage() {
    }

    /** Settings of the rule: name/value pairs after the service name; {@code auth} may repeat. */
    private static List<String> all(List<String> args, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i + 1 < args.size(); i += 2) {
            if (args.get(i).equals(name)) {
                out.add(args.get(i + 1));
            }
        }
        return out;
    }

    private static String one(List<String> args, String name, String dflt) {
        List<String> v = all(args, name);
        return v.isEmpty() ? dflt : v.get(v.size() - 1);
    }

    static Services.Reply answer(ApiContext ctx, Services.Request req) {
        List<String> auth = all(req.args(), "auth");
        if (!auth.isEmpty() && !authorized(auth, req.header().apply("authorization"))) {
            String realm = one(req.args(), "realm", "HAProxy Statistics");
            String body = "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access"
                    + " this content.\n</body></html>\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new Services.Reply(401, List.of("content-length", String.valueOf(bytes.length), "cache-control",
                    "no-cache", "content-type", "text/html", "www-authenticate", "Basic realm=\"" + realm + "\""),
                    bytes);
        }
        String uri = one(req.args(), "uri", "/haproxy?stats");
        String rest = req.uri().length() >= uri.length() ? req.uri().substring(uri.length()) : "";
        if (rest.startsWith(";csv")) {
            StringBuilder csv = new StringBuilder(StatCsv.HEADER);
            for (String[] row : StatCsv.rows(ctx, true, false, false)) {
                for (String v : row) {
                    csv.append(v.replace(',', ' ')).append(',');
                }
                csv.append('\n');
            }
            return new Services.Reply(200, withRefresh(req, rest, "text/plain"),
                    csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<String> headers = withRefresh(req, rest, "text/html");
        byte[] body = html(ctx, !all(req.args(), "hide-version").isEmpty()).getBytes(StandardCharsets.UTF_8);
        return new Services.Reply(200, headers, body);
    }

    /** HAProxy's headers of the page: no-cache, the type, {@code refresh} unless {@code ;norefresh}. */
    private static List<String> withRefresh(Services.Request req, String rest, String type) {
        List<String> headers = new ArrayList<>(List.of("cache-control", "no-cache", "content-type", type));
        String refresh = one(req.args(), "refresh", null);
        if (refresh != null && !rest.contains(";norefresh")) {
            headers.add("refresh");
            headers.add(refresh);
        }
        return headers;
    }

    /** Basic auth against the {@code stats auth user:password} accounts. */
    static boolean authorized(List<String> accounts, String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String given;
        try {
            given = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return accounts.contains(given);
    }

    static String html(ApiContext ctx, boolean hideVersion) {
        Map<String, String> info = ShowInfo.fields(ctx);
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Statistics Report for Berth")
                .append(hideVersion ? "" : " " + esc(info.get("Version"))).append("</title><style>").append(CSS)
                .append("</style></head><body>\n<h1>Berth").append(hideVersion ? "" : " " + esc(info.get("Version")))
                .append(" &mdash; Statistics Report for pid ").append(esc(info.get("Pid"))).append("</h1>\n");
        h.append("<p>node ").append(esc(info.get("node"))).append(", uptime ").append(esc(info.get("Uptime")))
                .append(", current conns ").append(esc(info.get("CurrConns"))).append(", total conns ")
                .append(esc(info.get("CumConns"))).append(", total requests ").append(esc(info.get("CumReq")))
                .append("</p>\n<p class=\"legend\"><span style=\"background:#c0ffc0\">active UP</span>"
                        + "<span style=\"background:#ffffa0\">UP, going down</span>"
                        + "<span style=\"background:#ff9090\">DOWN</span>"
                        + "<span style=\"background:#20a0ff\">DRAIN</span>"
                        + "<span style=\"background:#ffd020\">NOLB</span>"
                        + "<span style=\"background:#c07820;color:#fff\">MAINT</span>"
                        + "<span style=\"background:#e0e0e0\">no check</span></p>\n");
        String current = null;
        for (String[] row : StatCsv.rows(ctx, true, false, false)) {
            if (!row[0].equals(current)) {
                if (current != null) {
                    h.append("</table>\n");
                }
                current = row[0];
                h.append("<h2>").append(esc(current)).append("</h2>\n<table><tr><th class=n>Name</th>"
                        + "<th>Status</th><th>Wght</th><th>Act</th><th>Bck</th><th>Cur</th><th>Max</th>"
                        + "<th>Limit</th><th>Total</th><th>LbTot</th><th>Persist</th><th>Bytes in</th>"
                        + "<th>Bytes out</th><th>Req</th><th>2xx</th><th>4xx</th><th>5xx</th><th>Denied</th>"
                        + "<th>Conn err</th><th>Resp err</th><th>Retr</th><th>Redis</th><th>LastChk</th>"
                        + "<th>Chk fail</th></tr>\n");
            }
            row(h, ctx, row);
        }
        if (current != null) {
            h.append("</table>\n");
        }
        List<StickTable> tables = TableCommands.tables(ctx.runtime());
        if (!tables.isEmpty()) {
            h.append("<h2>Stick tables</h2>\n<table><tr><th class=n>Table</th><th>Type</th><th>Size</th>"
                    + "<th>Used</th><th>Fill</th></tr>\n");
            for (StickTable t : tables) {
                long size = t.spec().size();
                h.append("<tr><td class=n>").append(esc(t.name())).append("</td><td>")
                        .append(t.spec().type().name().toLowerCase(java.util.Locale.ROOT)).append("</td><td>")
                        .append(size).append("</td><td>").append(t.used()).append("</td><td>")
                        .append(String.format(java.util.Locale.ROOT, "%.1f %%", size == 0 ? 0.0 : 100.0 * t.used() / size))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder h, ApiContext ctx, String[] r) {
        String type = StatCsv.value(r, "type");
        String status = StatCsv.value(r, "status");
        String cls = switch (type) {
            case "0" -> "fe";
            case "1" -> "be";
            default -> rowClass(status);
        };
        String persist = "";
        if (type.equals("2")) {
            var b = ctx.runtime().backend(r[0]);
            var s = b == null ? null : b.servers().byName(r[1]);
            persist = s == null ? "" : String.valueOf(s.counters.persistent.sum());
        } else if (type.equals("1")) {
            var b = ctx.runtime().backend(r[0]);
            persist = b == null ? "" : String.valueOf(b.counters.persistent.sum());
        }
        h.append("<tr class=").append(cls).append("><td class=n>").append(esc(r[1])).append("</td>");
        for (String c : new String[]{"status", "weight", "act", "bck", "scur", "smax", "slim", "stot", "lbtot"}) {
            cell(h, StatCsv.value(r, c));
        }
        cell(h, persist);
        for (String c : new String[]{"bin", "bout", "req_tot", "hrsp_2xx", "hrsp_4xx", "hrsp_5xx", "dreq", "econ",
                "eresp", "wretr", "wredis"}) {
            cell(h, StatCsv.value(r, c));
        }
        String chk = StatCsv.value(r, "check_status");
        String code = StatCsv.value(r, "check_code");
        cell(h, chk.isEmpty() ? "" : chk + (code.isEmpty() ? "" : " " + code));
        cell(h, StatCsv.value(r, "chkfail"));
        h.append("</tr>\n");
    }

    private static String rowClass(String status) {
        if (status.startsWith("MAINT")) {
            return "maint";
        }
        if (status.startsWith("DRAIN")) {
            return "drain";
        }
        if (status.startsWith("NOLB")) {
            return "nolb";
        }
        if (status.startsWith("DOWN")) {
            return "down";
        }
        if (status.equals("no check")) {
            return "nocheck";
        }
        return status.equals("UP") ? "up" : "going";
    }

    private static void cell(StringBuilder h, String v) {
        h.append("<td>").append(esc(v)).append("</td>");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
