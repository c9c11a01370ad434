package io.berth.proxy.http;

import io.berth.runtime.HttpRule;
import io.berth.sample.SampleContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
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

    /**
     * @param message the request or response head the rules edit (request-line actions only come in request rules)
     * @return the deny/return rule that stopped processing, or null when every rule ran or one allowed
     */
    static HttpRule apply(List<HttpRule> rules, SampleContext ctx, HttpMessage message) {
        HttpHeaders headers = message.headers();
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
                case REPLACE_HEADER ->
                        RegexReplace.headers(headers, rule.headerName(), rule.match(), rule.value().render(ctx));
                case REPLACE_VALUE ->
                        RegexReplace.values(headers, rule.headerName(), rule.match(), rule.value().render(ctx));
                case REPLACE_PATH ->
                        RequestLineRewrite.replacePath((HttpRequest) message, rule.match(), rule.value().render(ctx));
                case REPLACE_URI ->
                        RequestLineRewrite.replaceUri((HttpRequest) message, rule.match(), rule.value().render(ctx));
                case SET_PATH -> {
                    HttpRequest r = (HttpRequest) message;
                    RequestLineRewrite.setUri(r, RequestLineRewrite.withPath(r.uri(), rule.value().render(ctx)));
                }
                case SET_QUERY -> {
                    HttpRequest r = (HttpRequest) message;
                    RequestLineRewrite.setUri(r, RequestLineRewrite.withQuery(r.uri(), rule.value().render(ctx)));
                }
                case SET_URI -> RequestLineRewrite.setUri((HttpRequest) message, rule.value().render(ctx));
                case SET_METHOD -> RequestLineRewrite.setMethod((HttpRequest) message, rule.value().render(ctx));
                case SET_STATUS -> {
                    ((HttpResponse) message).setStatus(new HttpResponseStatus(rule.status(),
                            rule.contentType() != null ? rule.contentType() : HttpReasons.of(rule.status())));
                    // the next rules' status fetch, the log and the proxies' counters see the new status (the
                    // server's counters keep the one it sent)
                    if (ctx instanceof HttpTransaction t) {
                        t.status = rule.status();
                    }
                }
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
