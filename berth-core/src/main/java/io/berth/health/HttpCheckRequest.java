package io.berth.health;

import io.berth.model.HttpCheckSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bytes of an HTTP health-check request, built once per backend from its {@link HttpCheckSpec} and sent
 * unchanged by every probe. Immutable; shared by all event loops.
 *
 * <p>Wire form as HAProxy 2.6 emits it (captured, reference §4): {@code METH URI VER}, the user's {@code hdr}
 * lines with lower-cased names in their order, {@code content-length} when there is a body, then
 * {@code connection: close} for HTTP/1.1 (HTTP/1.0 gets none: close is its default). A user {@code Connection}
 * header is not copied: on 1.1 a {@code keep-alive} value drops the implicit close (observed:
 * {@code GET /z HTTP/1.1\r\nhost: h\r\n\r\n}), on 1.0 {@code keep-alive} is kept. {@code option httpchk} alone
 * gives {@code OPTIONS / HTTP/1.0\r\n\r\n}.
 */
public final class HttpCheckRequest {
    private final byte[] bytes;
    private final String method;

    private HttpCheckRequest(byte[] bytes, String method) {
        this.bytes = bytes;
        this.method = method;
    }

    /** Builds the request of {@code spec}; null/blank parts take HAProxy's defaults (OPTIONS, /, HTTP/1.0). */
    public static HttpCheckRequest of(HttpCheckSpec spec) {
        String method = blankOr(spec.method(), "OPTIONS");
        String uri = blankOr(spec.uri(), "/");
        String version = blankOr(spec.version(), "HTTP/1.0");
        List<String> headers = new ArrayList<>();
        // Old form: "option httpchk GET / HTTP/1.1\r\nHost:\ x" smuggles header lines after the version.
        int crlf = version.indexOf("\r\n");
        if (crlf >= 0) {
            for (String line : version.substring(crlf + 2).split("\r\n")) {
                if (!line.isBlank()) {
                    headers.add(line);
                }
            }
            version = version.substring(0, crlf);
        }
        headers.addAll(spec.headers());

        StringBuilder sb = new StringBuilder(128);
        sb.append(method).append(' ').append(uri).append(' ').append(version).append("\r\n");
        String connection = null;
        for (String header : headers) {
            int colon = header.indexOf(':');
            String name = (colon < 0 ? header : header.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            if (name.equals("connection")) {
                connection = value.toLowerCase(Locale.ROOT);
                continue;
            }
            if (name.equals("content-length")) {
                continue; // computed from the body below
            }
            sb.append(name).append(": ").append(value).append("\r\n");
        }
        byte[] body = spec.body() == null ? new byte[0] : spec.body().getBytes(StandardCharsets.ISO_8859_1);
        if (body.length > 0) {
            sb.append("content-length: ").append(body.length).append("\r\n");
        }
        boolean http11 = !version.equalsIgnoreCase("HTTP/1.0");
        if (http11 && (connection == null || connection.contains("close"))) {
            sb.append("connection: close\r\n");
        } else if (!http11 && connection != null && connection.contains("keep-alive")) {
            sb.append("connection: keep-alive\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return new HttpCheckRequest(all, method);
    }

    private static String blankOr(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s;
    }

    /** A fresh copy of the request bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The method, needed to know whether the response may carry a body ({@code HEAD} never does). */
    public String method() {
        return method;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
