package io.berth.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The responses HAProxy 2.6 generates itself, byte for byte. Two renderings exist on the wire: errors produced
 * while parsing the request (400, 408, 422) leave HAProxy's H1 layer as written in its error table, with
 * capitalised header names ({@code Content-length}, and {@code Connection: close} for 400 and 408); errors produced
 * by the stream (403, 502, 503, 504...) pass through its HTTP message layer and come out with lower-case names and
 * no {@code Connection} header. Both were captured from /usr/sbin/haproxy (see ErrorPagesTest). Immutable.
 */
public final class ErrorPages {
    private record Page(String reason, String message) {
    }

    /** Status → reason phrase and the sentence of the HTML body, as HAProxy 2.6 sends them. */
    private static final Map<Integer, Page> PAGES = Map.ofEntries(
            Map.entry(200, new Page("OK", "Service ready.")),
            Map.entry(400, new Page("Bad request", "Your browser sent an invalid request.")),
            Map.entry(401, new Page("Unauthorized", "You need a valid user and password to access this content.")),
            Map.entry(403, new Page("Forbidden", "Request forbidden by administrative rules.")),
            Map.entry(404, new Page("Not Found", "The resource could not be found.")),
            Map.entry(405, new Page("Method Not Allowed",
                    "A request was made of a resource using a request method not supported by that resource")),
            Map.entry(407, new Page("Unauthorized", "You need a valid user and password to access this content.")),
            Map.entry(408, new Page("Request Time-out", "Your browser didn't send a complete request in time.")),
            Map.entry(410, new Page("Gone", "The resource is no longer available and will not be available again.")),
            Map.entry(413, new Page("Payload Too Large", "The request entity exceeds the maximum allowed.")),
            Map.entry(421, new Page("Misdirected Request", "Request sent to a non-authoritative server.")),
            Map.entry(422, new Page("Unprocessable Content", "The server cannot process the contained instructions.")),
            Map.entry(425, new Page("Too Early", "Your browser sent early data.")),
            Map.entry(429, new Page("Too Many Requests", "You have sent too many requests in a given amount of time.")),
            Map.entry(500, new Page("Internal Server Error", "An internal server error occurred.")),
            // HAProxy's 501 sentence really starts with a dot.
            Map.entry(501, new Page("Not Implemented",
                    ".The server does not support the functionality required to fulfill the request.")),
            Map.entry(502, new Page("Bad Gateway", "The server returned an invalid or incomplete response.")),
            Map.entry(503, new Page("Service Unavailable", "No server is available to handle this request.")),
            Map.entry(504, new Page("Gateway Time-out", "The server didn't respond in time.")));

    private ErrorPages() {
    }

    /** True when HAProxy has a page of its own for this status. */
    public static boolean has(int status) {
        return PAGES.containsKey(status);
    }

    /** Reason phrase HAProxy uses for {@code status} in its own pages, or null. */
    public static String reason(int status) {
        Page p = PAGES.get(status);
        return p == null ? null : p.reason();
    }

    /** The HTML body of the page for {@code status}. */
    public static String body(int status) {
        Page p = page(status);
        return "<html><body><h1>" + status + " " + p.reason() + "</h1>\n" + p.message() + "\n</body></html>\n";
    }

    /** The page as the stream layer sends it: lower-case names, no Connection header (502, 503, 504, deny...). */
    public static byte[] stream(int status) {
        Page p = page(status);
        String body = body(status);
        String head = "HTTP/1.1 " + status + " " + p.reason() + "\r\n"
                + "content-length: " + body.length() + "\r\n"
                + "cache-control: no-cache\r\n"
                + "content-type: text/html\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The page as the H1 parser sends it on a malformed or timed-out request (400, 408, 422). */
    public static byte[] parser(int status) {
        Page p = page(status);
        String body = body(status);
        String head = "HTTP/1.1 " + status + " " + p.reason() + "\r\n"
                + "Content-length: " + body.length() + "\r\n"
                + "Cache-Control: no-cache\r\n"
                + (status == 400 || status == 408 ? "Connection: close\r\n" : "")
                + "Content-Type: text/html\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Page page(int status) {
        Page p = PAGES.get(status);
        if (p == null) {
            throw new IllegalArgumentException("no HAProxy error page for status " + status);
        }
        return p;
    }
}
