package io.berth.proxy.http;

import io.berth.log.HttpLogEntry;
import io.berth.proxy.Session;
import io.berth.runtime.RuntimeFrontend;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Locale;

/**
 * Checks HAProxy's H1 parser makes on a request head beyond what Netty's decoder refuses, and the log line of a
 * request refused there. Stateless.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /**
     * HAProxy 2.6.12 (observed) answers 400 to a transfer-coding list not ending with {@code chunked} and 422 to
     * a list with other codings before {@code chunked}; a response with such a list is invalid (502).
     *
     * @return 0 when acceptable, else the status to answer
     */
    static int transferEncodingStatus(io.netty.handler.codec.http.HttpMessage req) {
        if (!req.headers().contains("transfer-encoding")) {
            return 0;
        }
        String[] codings = String.join(",", req.headers().getAll("transfer-encoding")).split(",");
        String last = codings[codings.length - 1].trim().toLowerCase(Locale.ROOT);
        if (!last.equals("chunked")) {
            return 400;
        }
        return codings.length > 1 ? 422 : 0;
    }

    /**
     * HAProxy 2.6.12 (observed) answers 400 to Host headers that disagree (the same one twice passes) and to an
     * absolute URI whose authority is not the Host (compared without case and without the scheme's default port:
     * {@code http://x:80/} matches {@code Host: x}).
     *
     * @return 0 when acceptable, else 400
     */
    static int hostStatus(HttpRequest req) {
        java.util.List<String> hosts = req.headers().getAll("host");
        if (hosts.isEmpty()) {
            return 0;
        }
        String host = hosts.get(0).trim();
        for (String other : hosts) {
            if (!other.trim().equalsIgnoreCase(host)) {
                return 400;
            }
        }
        Authority a = Authority.of(req.uri());
        return a == null || a.withoutDefaultPort().equalsIgnoreCase(a.strip(host)) ? 0 : 400;
    }

    /**
     * HAProxy 2.6's handling of an absolute URI, at parse time (so rules see it too): an {@code http}/{@code https}
     * authority loses its scheme's default port, and the Host header becomes the authority, as RFC 9112 asks of a
     * proxy ({@code GET http://X:80/a} with {@code Host: x} reaches the server as {@code GET http://X/a} with
     * {@code Host: X}; an origin-form request keeps its Host as it is, {@code Host: x:80} included).
     */
    static void normalizeAbsoluteUri(HttpRequest req) {
        Authority a = Authority.of(req.uri());
        if (a == null || a.defaultPort == null) {
            return;
        }
        String authority = a.withoutDefaultPort();
        if (authority.length() != a.end - a.start) {
            req.setUri(a.uri.substring(0, a.start) + authority + a.uri.substring(a.end));
        }
        if (!authority.isEmpty()) {
            req.headers().set("host", authority);
        }
    }

    /**
     * Where an absolute URI's authority stands ({@code uri[start, end)}) and its scheme's default port
     * ({@code :80}, {@code :443}, or null for other schemes).
     */
    private record Authority(String uri, int start, int end, String defaultPort) {
        /** The authority of {@code uri}, or null for an origin-form URI. */
        static Authority of(String uri) {
            int schemeEnd = uri.indexOf("://");
            if (schemeEnd <= 0 || uri.charAt(0) == '/') {
                return null;
            }
            String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            int start = schemeEnd + 3;
            int end = start;
            while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
                end++;
            }
            return new Authority(uri, start, end,
                    scheme.equals("https") ? ":443" : scheme.equals("http") ? ":80" : null);
        }

        String withoutDefaultPort() {
            return strip(uri.substring(start, end));
        }

        /** {@code hostPort} without this scheme's default port. */
        String strip(String hostPort) {
            return defaultPort != null && hostPort.endsWith(defaultPort)
                    ? hostPort.substring(0, hostPort.length() - defaultPort.length()) : hostPort;
        }
    }

    /**
     * Refuses a request HAProxy's parser would refuse (400, 408, 422): writes HAProxy's raw error page and, when
     * {@code log} and the frontend logs, the {@code <BADREQ>} line. The caller closes the connection.
     */
    static void refuse(ByteCounter counter, Session session, int status, String termination, long startNanos,
                       long epochMillis, long nowNanos, boolean log) {
        counter.writeRaw(io.netty.buffer.Unpooled.wrappedBuffer(ErrorPages.parser(status)));
        RuntimeFrontend fe = session.frontend();
        if (log && fe.spec().options().httpLog()) {
            fe.log().http(badRequestEntry(session, status, termination, epochMillis,
                    HttpTransaction.millisSince(startNanos, nowNanos)));
        }
    }

    /** The {@code <BADREQ>} line: no backend or server, no timers but Ta, 0 bytes (HAProxy counts none there). */
    static HttpLogEntry badRequestEntry(Session session, int status, String termination, long epochMillis, long ta) {
        RuntimeFrontend fe = session.frontend();
        return new HttpLogEntry(session.clientIp(), session.clientPort(), epochMillis, fe.name(), fe.name(),
                "<NOSRV>", -1, -1, -1, -1, ta, status, 0, "-", "-", termination + "--",
                session.runtime().currentConns.get(), fe.currentConns.get(), 0, 0, 0, false, 0, 0, "<BADREQ>");
    }
}
