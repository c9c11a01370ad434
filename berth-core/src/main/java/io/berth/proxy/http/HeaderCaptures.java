package io.berth.proxy.http;

import io.berth.model.CaptureSpec;
import io.berth.model.CookieCaptureSpec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;

/**
 * Takes the values {@code capture request|response header} logs: the last occurrence of each header, cut to its
 * length (HAProxy's {@code http_capture_headers}); and {@code capture cookie}'s: the first cookie whose
 * {@code name=value} starts with the prefix, in the request's {@code Cookie} headers or the server's
 * {@code Set-Cookie} ones (not one Berth inserts). Stateless.
 */
final class HeaderCaptures {
    private HeaderCaptures() {
    }

    /** The captured values (an entry null when the header is absent), or null when nothing is captured. */
    static String[] take(CaptureSpec[] captures, HttpHeaders headers) {
        if (captures.length == 0) {
            return null;
        }
        String[] values = new String[captures.length];
        for (int i = 0; i < captures.length; i++) {
            List<String> all = headers.getAll(captures[i].header());
            if (!all.isEmpty()) {
                String v = all.get(all.size() - 1);
                values[i] = v.length() > captures[i].length() ? v.substring(0, captures[i].length()) : v;
            }
        }
        return values;
    }

    /** Slots for a message that has not come yet (logged empty if it never does), or null without captures. */
    static String[] none(CaptureSpec[] captures) {
        return captures.length == 0 ? null : new String[captures.length];
    }

    /** The request cookie {@code capture cookie} logs ({@code %CC}), or null when none matches or none is asked. */
    static String requestCookie(CookieCaptureSpec capture, HttpHeaders headers) {
        if (capture == null) {
            return null;
        }
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (String cookie : header.split(";")) {
                String c = cookie.strip();
                if (c.startsWith(capture.prefix())) {
                    return cut(c, capture.length());
                }
            }
        }
        return null;
    }

    /** The server's {@code Set-Cookie} {@code capture cookie} logs ({@code %CS}), or null. */
    static String responseCookie(CookieCaptureSpec capture, HttpHeaders headers) {
        if (capture == null) {
            return null;
        }
        for (String header : headers.getAll(HttpHeaderNames.SET_COOKIE)) {
            int end = header.indexOf(';');
            String c = (end < 0 ? header : header.substring(0, end)).strip();
            if (c.startsWith(capture.prefix())) {
                return cut(c, capture.length());
            }
        }
        return null;
    }

    private static String cut(String s, int length) {
        return s.length() > length ? s.substring(0, length) : s;
    }
}
