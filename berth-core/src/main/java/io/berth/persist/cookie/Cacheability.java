package io.berth.persist.cookie;

import java.util.List;

/**
 * Whether a response may still be cached by a shared cache, as HAProxy 2.6.12 decides it before adding
 * {@code cache-control: private} next to an inserted cookie ({@code nocache}): the method must be safe (GET, HEAD,
 * OPTIONS, TRACE) and the status cacheable by default (200 203 204 206 300 301 404 405 410 414 501); then
 * {@code Pragma: no-cache} or a {@code Cache-Control} value {@code private}, {@code no-cache}, {@code no-store},
 * {@code max-age=0} or {@code s-maxage=0} makes it uncacheable ({@code public} makes it cacheable again), and a
 * response with neither freshness ({@code max-age}, {@code s-maxage}, {@code Expires}) nor validator
 * ({@code ETag}, {@code Last-Modified}) is not cacheable either. Stateless.
 */
final class Cacheability {
    private Cacheability() {
    }

    static boolean cacheable(String method, int status, HeaderAccess headers) {
        if (!(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE"))) {
            return false;
        }
        switch (status) {
            case 200, 203, 204, 206, 300, 301, 404, 405, 410, 414, 501 -> { }
            default -> {
                return false;
            }
        }
        boolean cacheable = true;
        // only the first Pragma line counts, compared whole
        List<String> pragma = headers.all("pragma");
        if (!pragma.isEmpty() && pragma.get(0).trim().equalsIgnoreCase("no-cache")) {
            return false;
        }
        boolean freshness = false;
        for (String line : headers.all("cache-control")) {
            int from = 0;
            while (from <= line.length()) {
                int comma = line.indexOf(',', from);
                int to = comma < 0 ? line.length() : comma;
                String v = line.substring(from, to).trim();
                from = to + 1;
                if (v.isEmpty()) {
                    continue;
                }
                if (v.equalsIgnoreCase("public")) {
                    cacheable = true;
                } else if (v.equalsIgnoreCase("private") || v.equalsIgnoreCase("no-cache")
                        || v.equalsIgnoreCase("no-store") || v.equalsIgnoreCase("max-age=0")
                        || v.equalsIgnoreCase("s-maxage=0")) {
                    cacheable = false;
                } else if (startsWithIgnoreCase(v, "no-cache=\"set-cookie")) {
                    // only the cookie is uncacheable: the response itself may still be cached
                    continue;
                } else if (startsWithIgnoreCase(v, "s-maxage") || startsWithIgnoreCase(v, "max-age")) {
                    freshness = true;
                }
            }
        }
        if (!freshness) {
            freshness = !headers.all("expires").isEmpty();
        }
        boolean validator = !freshness && (!headers.all("etag").isEmpty() || !headers.all("last-modified").isEmpty());
        if (!freshness && !validator) {
            return false;
        }
        return cacheable;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
