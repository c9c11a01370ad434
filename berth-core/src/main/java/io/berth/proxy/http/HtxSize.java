package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The size HAProxy 2.6 counts for a message in {@code bin}/{@code bout} ({@code show stat}) and the
 * {@code bytes_in/out} metrics: not the wire bytes but the size of its internal HTX form, which is what its
 * channels carry. A head is the start-line block ({@code struct htx_sl}, 20 bytes, plus the three parts without
 * spaces or CRLF), one block per header holding name and value only, and a one-byte end-of-headers block; the
 * {@code connection} header is not there (the H1 parser turns its {@code close}/{@code keep-alive} tokens into
 * flags); body blocks are the payload without chunk framing. Worked example, measured on HAProxy 2.6.12:
 * {@code GET /a HTTP/1.1}, {@code host: test}, {@code connection: close} counts 20 + 3 + 2 + 8 + (4 + 4) + 1 = 42.
 * A chunked HTTP/1 message ends with its trailers (name and value each) and a one-byte end-of-trailers block,
 * even without trailers: measured, a chunked response counts one more than its headers and payload. This is also
 * the size HAProxy logs as {@code %B}. Stateless.
 */
final class HtxSize {
    /** sizeof(struct htx_sl) in 2.6: flags, info, len[3]. */
    private static final int START_LINE = 20;
    private static final int END_OF_HEADERS = 1;
    private static final int END_OF_TRAILERS = 1;

    private HtxSize() {
    }

    static long head(HttpMessage m) {
        long n = START_LINE + END_OF_HEADERS;
        if (m instanceof HttpRequest r) {
            n += r.method().name().length() + r.uri().length() + r.protocolVersion().text().length();
        } else if (m instanceof HttpResponse r) {
            n += r.protocolVersion().text().length() + 3 + r.status().reasonPhrase().length();
        }
        return n + headers(m.headers());
    }

    /**
     * A body part: its payload, and for the last part of a chunked HTTP/1 message ({@code chunked}) its
     * trailers and end-of-trailers block.
     */
    static long body(HttpContent c, boolean chunked) {
        long n = c.content().readableBytes();
        if (chunked && c instanceof LastHttpContent last) {
            n += END_OF_TRAILERS + headers(last.trailingHeaders());
        }
        return n;
    }

    private static long headers(HttpHeaders h) {
        long n = 0;
        for (Map.Entry<String, String> e : h) {
            String value = e.getValue();
            if (e.getKey().equalsIgnoreCase("connection")) {
                value = connectionRest(value);
                if (value.isEmpty()) {
                    continue;
                }
            }
            n += e.getKey().length() + value.length();
        }
        return n;
    }

    /** What stays of a Connection header once {@code close} and {@code keep-alive} are taken out. */
    private static String connectionRest(String value) {
        StringBuilder rest = new StringBuilder();
        for (String token : value.split(",")) {
            String t = token.trim();
            String lower = t.toLowerCase(Locale.ROOT);
            if (!t.isEmpty() && !lower.equals("close") && !lower.equals("keep-alive")) {
                rest.append(rest.isEmpty() ? "" : ", ").append(t);
            }
        }
        return rest.toString();
    }

    /** Whether {@code m} (received over HTTP/1) is chunked: its HTX form then ends with an end-of-trailers block. */
    static boolean chunked(HttpMessage m) {
        return HttpUtil.isTransferEncodingChunked(m);
    }

    /** The HTX size of a pre-rendered HTTP/1.1 answer (error page, deny/return, service reply). */
    static long raw(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return bytes.length;
        }
        String[] lines = text.substring(0, end).split("\r\n");
        long n = START_LINE + END_OF_HEADERS;
        String[] sl = lines[0].split(" ", 3);
        for (String part : sl) {
            n += part.length();
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("connection")) {
                value = connectionRest(value);
                if (value.isEmpty()) {
                    continue;
                }
            }
            n += name.length() + value.length();
        }
        return n + bytes.length - (end + 4);
    }
}
