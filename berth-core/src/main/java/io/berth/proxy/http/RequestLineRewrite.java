package io.berth.proxy.http;

/**
 * The request-line actions of {@code http-request}: {@code set-path}, {@code set-query}, {@code set-uri}, as
 * HAProxy 2.6 rewrites a URI (checked live): the path of an absolute URI is the part after its authority, a new
 * path keeps the query string, and an empty new query drops the {@code ?} with it. Stateless.
 */
final class RequestLineRewrite {
    private RequestLineRewrite() {
    }

    /** Where the path starts: after {@code scheme://authority} in an absolute URI, else 0. */
    private static int pathStart(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme <= 0 || uri.startsWith("/")) {
            return 0;
        }
        int slash = uri.indexOf('/', scheme + 3);
        int query = uri.indexOf('?', scheme + 3);
        if (slash < 0 || query >= 0 && query < slash) {
            return query >= 0 ? query : uri.length();
        }
        return slash;
    }

    /** The path of {@code uri}: from {@link #pathStart} to the query string. */
    static String path(String uri) {
        int start = pathStart(uri);
        int query = uri.indexOf('?', start);
        return uri.substring(start, query < 0 ? uri.length() : query);
    }

    /** {@code uri} with its path replaced by {@code path}, its query string kept. */
    static String withPath(String uri, String path) {
        int start = pathStart(uri);
        int query = uri.indexOf('?', start);
        return uri.substring(0, start) + path + (query < 0 ? "" : uri.substring(query));
    }

    /** {@code uri} with its query string replaced by {@code query}; an empty one removes the {@code ?} too. */
    static String withQuery(String uri, String query) {
        int at = uri.indexOf('?', pathStart(uri));
        String base = at < 0 ? uri : uri.substring(0, at);
        return query.isEmpty() ? base : base + "?" + query;
    }
}
