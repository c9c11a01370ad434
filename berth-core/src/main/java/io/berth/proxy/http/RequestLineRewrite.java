package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

import java.util.regex.Pattern;

/**
 * The request-line actions of {@code http-request}: {@code set-path}, {@code set-query}, {@code set-uri},
 * {@code replace-path}, {@code replace-uri}, {@code set-method}, as HAProxy 2.6 rewrites a request line (checked
 * live): the path of an absolute URI is the part after its authority, a new path keeps the query string, and an
 * empty new query drops the {@code ?} with it. Unlike HAProxy, a rewrite that would break the request line (a
 * blank or a control character in the URI, a method that is not a token: values taken from the client's headers
 * can hold them) is not made: the server would read another request line than the one meant. Stateless.
 */
final class RequestLineRewrite {
    private RequestLineRewrite() {
    }

    /** Sets {@code uri} on the request unless it would break the request line; true when set. */
    static boolean setUri(HttpRequest request, String uri) {
        if (uri.isEmpty()) {
            return false;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                return false;
            }
        }
        request.setUri(uri);
        return true;
    }

    /** Sets the method unless {@code name} is not an HTTP token; true when set. */
    static boolean setMethod(HttpRequest request, String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        request.setMethod(HttpMethod.valueOf(name));
        return true;
    }

    /** {@code replace-path}: the path replaced when {@code match} finds something in it. */
    static void replacePath(HttpRequest request, Pattern match, String replacement) {
        String replaced = RegexReplace.whole(path(request.uri()), match, replacement);
        if (replaced != null) {
            setUri(request, withPath(request.uri(), replaced));
        }
    }

    /** {@code replace-uri}: the URI replaced when {@code match} finds something in it. */
    static void replaceUri(HttpRequest request, Pattern match, String replacement) {
        String replaced = RegexReplace.whole(request.uri(), match, replacement);
        if (replaced != null) {
            setUri(request, replaced);
        }
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
