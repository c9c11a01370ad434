package io.berth.persist.cookie;

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
        if (headers.contains("pragma") && headers.all("pragma").get(0).trim().equalsIgnoreCase("no-cache")) {
            return false;
        }
        boolean freshness = false;
        if (headers.contains("cache-control")) {
            for (String line : headers.all("cache-control")) {
                int from = 0;
                while (from <= line.length()) {
                    int comma = line.indexOf(',', from);
                    int to = comma < 0 ? line.length() : comma;
                    int s = from;
                    int e = to;
                    from = to + 1;
                    while (s < e && isBlank(line.charAt(s))) {
                        s++;
                    }
                    while (e > s && isBlank(line.charAt(e - 1))) {
                        e--;
                    }
                    if (s == e) {
                        continue;
                    }
                    // directives compared in place (no substring): this runs for every response carrying a cookie
                    if (is(line, s, e, "public")) {
                        cacheable = true;
                    } else if (is(line, s, e, "private") || is(line, s, e, "no-cache") || is(line, s, e, "no-store")
                            || is(line, s, e, "max-age=0") || is(line, s, e, "s-maxage=0")) {
                        cacheable = false;
                    } else if (startsWith(line, s, e, "no-cache=\"set-cookie")) {
                        // only the cookie is uncacheable: the response itself may still be cached
                        continue;
                    } else if (startsWith(line, s, e, "s-maxage") || startsWith(line, s, e, "max-age")) {
                        freshness = true;
                    }
                }
            }
        }
        if (!freshness) {
            freshness = headers.contains("expires");
        }
        boolean validator = !freshness && (headers.contains("etag") || headers.contains("last-modified"));
        if (!freshness && !validator) {
            return false;
        }
        return cacheable;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean is(String line, int s, int e, String word) {
        return e - s == word.length() && line.regionMatches(true, s, word, 0, word.length());
    }

    private static boolean startsWith(String line, int s, int e, String prefix) {
        return e - s >= prefix.length() && line.regionMatches(true, s, prefix, 0, prefix.length());
    }
}
