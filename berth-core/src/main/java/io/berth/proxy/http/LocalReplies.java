package io.berth.proxy.http;

import io.berth.runtime.HttpRule;
import io.berth.sample.SampleContext;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Renders the answer of an {@code http-request deny} or {@code return} rule the way HAProxy 2.6 builds it
 * ({@code http_reply_to_htx}): a bare deny sends the error page of its status; otherwise the status line, the
 * rule's {@code hdr} lines, {@code content-length}, then {@code content-type} when there is a body. Stateless.
 */
final class LocalReplies {
    private LocalReplies() {
    }

    static byte[] render(HttpRule rule, SampleContext ctx) {
        if (rule.action() == HttpRule.Action.REDIRECT) {
            return Redirect.render(rule, ctx);
        }
        boolean bare = rule.value() == null && rule.extraHeaders().isEmpty();
        if (bare && rule.action() == HttpRule.Action.DENY && ErrorPages.has(rule.status())) {
            return ErrorPages.stream(rule.status());
        }
        byte[] body = rule.value() == null ? new byte[0] : rule.value().render(ctx).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(128);
        head.append("HTTP/1.1 ").append(rule.status()).append(' ')
                .append(HttpReasons.of(rule.status())).append("\r\n");
        for (HttpRule.Header h : rule.extraHeaders()) {
            String v = h.value().render(ctx);
            if (v != null && !v.isEmpty()) {
                head.append(h.name().toLowerCase(Locale.ROOT)).append(": ").append(v).append("\r\n");
            }
        }
        head.append("content-length: ").append(body.length).append("\r\n");
        if (body.length > 0 && rule.contentType() != null) {
            head.append("content-type: ").append(rule.contentType()).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
