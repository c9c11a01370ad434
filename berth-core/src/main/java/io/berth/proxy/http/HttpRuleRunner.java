package io.berth.proxy.http;

import io.berth.runtime.HttpRule;
import io.berth.sample.SampleContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;
import java.util.Locale;

/**
 * Runs a list of compiled {@code http-request}/{@code http-response} rules against one message's headers, in order,
 * as HAProxy does: header actions edit in place (a set-header value is rendered before the old header is removed,
 * so it may read it); the first {@code allow} whose condition holds ends the list (the message goes on), the
 * first {@code deny}/{@code return} stops it with an answer. Stateless.
 */
final class HttpRuleRunner {
    private HttpRuleRunner() {
    }

    /** @return the deny/return rule that stopped processing, or null when every rule ran or one allowed */
    static HttpRule apply(List<HttpRule> rules, SampleContext ctx, HttpHeaders headers) {
        for (HttpRule rule : rules) {
            if (!rule.condition().test(ctx)) {
                continue;
            }
            switch (rule.action()) {
                case SET_HEADER -> {
                    String value = rule.value().render(ctx);
                    headers.remove(rule.headerName());
                    headers.add(lower(rule.headerName()), value);
                }
                case ADD_HEADER -> headers.add(lower(rule.headerName()), rule.value().render(ctx));
                case DEL_HEADER -> headers.remove(rule.headerName());
                case STICK -> rule.stick().apply(ctx);
                case ALLOW -> {
                    return null;
                }
                case DENY, RETURN, REDIRECT, USE_SERVICE -> {
                    return rule;
                }
            }
        }
        return null;
    }

    private static AsciiString lower(String name) {
        return AsciiString.of(name.toLowerCase(Locale.ROOT));
    }
}
