package io.berth.runtime;

import io.berth.model.HttpRuleSpec;
import io.berth.sample.Condition;
import io.berth.sample.LogFormat;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleContext;
import io.berth.sample.SampleException;

import java.util.List;

/**
 * Compiles {@code redirect} and {@code http-request redirect} rules ({@code scheme S | prefix P | location L},
 * {@code [code 301|302|303|307|308]}, {@code [drop-query]}, {@code [append-slash]}) into an {@link HttpRule} whose
 * value renders the {@code Location} as HAProxy 2.6's {@code http_apply_redirect_rule} builds it: for
 * {@code scheme}, {@code S://} + the first Host header (empty without one) + the request target; for
 * {@code prefix}, P + the target; {@code location} is a log-format string. Stateless.
 */
final class Redirects {
    private Redirects() {
    }

    static HttpRule compile(SampleCompiler compiler, HttpRuleSpec spec, Condition condition) throws SampleException {
        List<String> a = spec.args();
        if (a.size() < 2) {
            throw new SampleException("'redirect': expects 'code', 'prefix', 'location', 'scheme', 'set-cookie',"
                    + " 'clear-cookie', 'drop-query' or 'append-slash' (got '" + (a.isEmpty() ? "" : a.get(0))
                    + "').");
        }
        String kind = a.get(0);
        String target = a.get(1);
        int code = 302;
        boolean dropQuery = false;
        boolean appendSlash = false;
        for (int i = 2; i < a.size(); i++) {
            switch (a.get(i)) {
                case "code" -> {
                    if (i + 1 >= a.size()) {
                        throw new SampleException("'redirect': missing argument for 'code'.");
                    }
                    code = code(a.get(++i));
                }
                case "drop-query" -> dropQuery = true;
                case "append-slash" -> appendSlash = true;
                case "set-cookie", "clear-cookie" -> throw new SampleException("'redirect': '" + a.get(i)
                        + "' is not yet supported by Berth.");
                default -> throw new SampleException("'redirect': expects 'code', 'prefix', 'location', 'scheme',"
                        + " 'set-cookie', 'clear-cookie', 'drop-query' or 'append-slash' (got '" + a.get(i) + "').");
            }
        }
        boolean drop = dropQuery;
        boolean slash = appendSlash;
        LogFormat location = switch (kind) {
            case "scheme" -> ctx -> target + "://" + host(ctx) + path(ctx, drop, slash);
            case "prefix" -> ctx -> (target.equals("/") ? "" : target) + path(ctx, drop, slash);
            case "location" -> compiler.logFormat(target);
            default -> throw new SampleException("'redirect': expects 'code', 'prefix', 'location', 'scheme',"
                    + " 'set-cookie', 'clear-cookie', 'drop-query' or 'append-slash' (got '" + kind + "').");
        };
        return new HttpRule(spec, HttpRule.Action.REDIRECT, null, location, code, null, List.of(), condition);
    }

    private static int code(String text) throws SampleException {
        return switch (text) {
            case "301", "302", "303", "307", "308" -> Integer.parseInt(text);
            default -> throw new SampleException("'redirect': unsupported HTTP code '" + text
                    + "' (must be one of 301, 302, 303, 307 or 308).");
        };
    }

    private static String host(SampleContext ctx) {
        List<String> h = ctx.requestHeaders("host");
        return h.isEmpty() ? "" : h.get(0).strip();
    }

    private static String path(SampleContext ctx, boolean dropQuery, boolean appendSlash) {
        String uri = ctx.uri() == null ? "" : ctx.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 || dropQuery ? "" : uri.substring(q);
        if (appendSlash && !path.endsWith("/")) {
            path = path + "/";
        }
        return path + query;
    }
}
