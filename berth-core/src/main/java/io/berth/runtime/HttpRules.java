package io.berth.runtime;

import io.berth.model.HttpRuleSpec;
import io.berth.sample.Condition;
import io.berth.sample.LogFormat;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles {@code http-request}/{@code http-response} rules: {@code set-header}, {@code add-header},
 * {@code del-header}, {@code replace-header}, {@code replace-value}; for requests {@code set-path},
 * {@code set-query}, {@code set-uri}, {@code set-method}, {@code replace-path}, {@code replace-uri};
 * {@code allow}, {@code deny [deny_status N] [hdr N V]...} (403 for a request, 502 for a response, as HAProxy),
 * {@code return [status N] [content-type T] [string S | lf-string S] [hdr N V]...}. Messages follow HAProxy's
 * wording.
 */
final class HttpRules {
    private HttpRules() {
    }

    /** @param response an {@code http-response} rule ({@code deny} then answers 502, not 403) */
    static HttpRule compile(SampleCompiler compiler, HttpRuleSpec spec, boolean response) throws SampleException {
        Condition condition = compiler.condition(spec.condition());
        List<String> a = spec.args();
        String action = spec.action().toLowerCase(Locale.ROOT);
        switch (action) {
            case "set-header", "add-header" -> {
                if (a.size() != 2) {
                    throw new SampleException("'" + action + "' expects exactly 2 arguments.");
                }
                HttpRule.Action act = action.equals("set-header") ? HttpRule.Action.SET_HEADER : HttpRule.Action.ADD_HEADER;
                return new HttpRule(spec, act, a.get(0), compiler.logFormat(a.get(1)), 0, null, List.of(), condition);
            }
            case "del-header" -> {
                if (a.size() != 1) {
                    throw new SampleException("'del-header' expects exactly 1 argument.");
                }
                return new HttpRule(spec, HttpRule.Action.DEL_HEADER, a.get(0), null, 0, null, List.of(), condition);
            }
            case "replace-header", "replace-value" -> {
                if (a.size() != 3) {
                    throw new SampleException("expects exactly 3 arguments.");
                }
                return new HttpRule(spec, action.equals("replace-header") ? HttpRule.Action.REPLACE_HEADER
                        : HttpRule.Action.REPLACE_VALUE, a.get(0), regex(a.get(1)), compiler.logFormat(a.get(2)),
                        condition);
            }
            case "replace-path", "replace-uri" -> {
                if (a.size() != 2) {
                    throw new SampleException("expects exactly 2 arguments <match-regex> and <replace-format>.");
                }
                return new HttpRule(spec, action.equals("replace-path") ? HttpRule.Action.REPLACE_PATH
                        : HttpRule.Action.REPLACE_URI, null, regex(a.get(0)), compiler.logFormat(a.get(1)), condition);
            }
            case "set-path", "set-query", "set-uri", "set-method" -> {
                if (a.size() != 1) {
                    throw new SampleException("expects exactly 1 argument <format>.");
                }
                HttpRule.Action act = switch (action) {
                    case "set-path" -> HttpRule.Action.SET_PATH;
                    case "set-query" -> HttpRule.Action.SET_QUERY;
                    case "set-uri" -> HttpRule.Action.SET_URI;
                    default -> HttpRule.Action.SET_METHOD;
                };
                return new HttpRule(spec, act, null, compiler.logFormat(a.get(0)), 0, null, List.of(), condition);
            }
            case "set-status" -> {
                // HAProxy 2.6 takes the reason as a plain string (checked: "%[status]" stays as written)
                int status = a.isEmpty() ? -1 : parseInt(a.get(0));
                if (a.size() != 1 && (a.size() != 3 || !a.get(1).equals("reason"))) {
                    throw new SampleException("expects 1 argument: <status>; or 3 arguments: <status> reason <fmt>.");
                }
                if (status < 100 || status > 999) {
                    throw new SampleException("expects an integer status code between 100 and 999.");
                }
                return new HttpRule(spec, HttpRule.Action.SET_STATUS, null, null, status,
                        a.size() == 3 ? a.get(2) : null, List.of(), condition);
            }
            case "allow" -> {
                return new HttpRule(spec, HttpRule.Action.ALLOW, null, null, 0, null, List.of(), condition);
            }
            case "deny", "return" -> {
                return replyRule(compiler, spec, action, condition, response);
            }
            case "redirect" -> {
                return Redirects.compile(compiler, spec, condition);
            }
            case "use-service" -> {
                if (a.isEmpty()) {
                    throw new SampleException("'use-service' expects a service name.");
                }
                return new HttpRule(spec, HttpRule.Action.USE_SERVICE, null, null, 200, null, List.of(), condition);
            }
            default -> throw new SampleException("'" + action + "' is not a supported action.");
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A replace action's regex (case-sensitive, found anywhere in the value, as HAProxy's PCRE match). */
    private static java.util.regex.Pattern regex(String text) throws SampleException {
        try {
            return java.util.regex.Pattern.compile(text);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new SampleException("regex '" + text + "' is invalid (error=" + e.getDescription() + ", erroffset="
                    + e.getIndex() + ").");
        }
    }

    private static HttpRule replyRule(SampleCompiler compiler, HttpRuleSpec spec, String action, Condition condition,
                                      boolean response) throws SampleException {
        boolean deny = action.equals("deny");
        int status = deny ? (response ? 502 : 403) : 200;
        String contentType = null;
        LogFormat body = null;
        List<HttpRule.Header> headers = new ArrayList<>();
        List<String> a = spec.args();
        for (int i = 0; i < a.size(); i++) {
            String w = a.get(i);
            switch (w) {
                case "status", "deny_status" -> {
                    status = parseStatus(action, w, next(a, ++i, action, w));
                }
                case "content-type" -> contentType = next(a, ++i, action, w);
                case "string" -> {
                    String text = next(a, ++i, action, w);
                    body = ctx -> text;
                }
                case "lf-string" -> body = compiler.logFormat(next(a, ++i, action, w));
                case "hdr" -> {
                    String name = next(a, ++i, action, w);
                    headers.add(new HttpRule.Header(name, compiler.logFormat(next(a, ++i, action, w))));
                }
                case "default-errorfiles" -> {
                }
                default -> throw new SampleException("'" + action + "': unexpected keyword '" + w + "'. expects"
                        + " 'status', 'content-type', 'string', 'lf-string', 'hdr' or 'default-errorfiles'.");
            }
        }
        if (body != null && contentType == null) {
            throw new SampleException("'" + action + "': a content type must be defined when a response body is"
                    + " provided.");
        }
        return new HttpRule(spec, deny ? HttpRule.Action.DENY : HttpRule.Action.RETURN, null, body, status,
                contentType, headers, condition);
    }

    private static String next(List<String> a, int i, String action, String keyword) throws SampleException {
        if (i >= a.size()) {
            throw new SampleException("'" + action + "': missing argument for '" + keyword + "'.");
        }
        return a.get(i);
    }

    private static int parseStatus(String action, String keyword, String text) throws SampleException {
        try {
            int s = Integer.parseInt(text);
            if (s >= 200 && s <= 599) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SampleException("'" + action + "': status code must be between 200 and 599 (got '" + text
                + "' for '" + keyword + "').");
    }
}
