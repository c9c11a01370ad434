package io.berth.proxy.http;

import io.berth.runtime.HttpRule;
import io.berth.sample.SampleContext;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders a redirect rule's answer byte for byte as HAProxy 2.6 sends it (captured):
 * <pre>
 *   HTTP/1.1 302 Found
 *   content-length: 0
 *   location: https://example.com:18080/x?y=1
 *   cache-control: no-cache
 *   [connection: close]        when the client connection does not stay open (HTTP/1.0, Connection: close)
 * </pre>
 * Unlike deny/return, HAProxy keeps the connection alive after a redirect. Stateless.
 */
final class Redirect {
    private Redirect() {
    }

    static byte[] render(HttpRule rule, SampleContext ctx) {
        StringBuilder out = new StringBuilder(128);
        out.append("HTTP/1.1 ").append(rule.status()).append(' ').append(reason(rule.status())).append("\r\n");
        out.append("content-length: 0\r\n");
        out.append("location: ").append(rule.value().render(ctx)).append("\r\n");
        out.append("cache-control: no-cache\r\n");
        if (closes(ctx)) {
            out.append("connection: close\r\n");
        }
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** True when the client connection ends after this answer (the HTTP/1.x keep-alive rules). */
    static boolean closes(SampleContext ctx) {
        List<String> conn = ctx.requestHeaders("connection");
        boolean close = conn.stream().anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("close"));
        boolean keep = conn.stream().anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("keep-alive"));
        return close || ("HTTP/1.0".equals(ctx.version()) && !keep);
    }

    private static String reason(int code) {
        return switch (code) {
            case 301 -> "Moved Permanently";
            case 303 -> "See Other";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            default -> "Found";
        };
    }
}
