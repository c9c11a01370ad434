package io.berth.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as a test backend received it: header names exactly as sent (case kept, order kept), the first
 * {@link Backend#BODY_KEPT} body bytes and the full body length.
 *
 * @param connection 1-based number of the backend connection it arrived on (reuse shows as repeated numbers)
 */
public record Recorded(int connection, String method, String uri, String version,
                       List<Map.Entry<String, String>> headers, byte[] body, long bodyLength, boolean chunked) {
    /** First value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Every value of header {@code name} (case-insensitive), in order. */
    public List<String> headers(String name) {
        return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    /** Header names as they arrived, in order. */
    public List<String> headerNames() {
        return headers.stream().map(Map.Entry::getKey).toList();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    public boolean hasHeader(String name) {
        return header(name.toLowerCase(Locale.ROOT)) != null;
    }
}
