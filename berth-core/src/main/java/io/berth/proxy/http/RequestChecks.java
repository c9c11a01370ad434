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
     * a list with other codings before {@code chunked}.
     *
     * @return 0 when acceptable, else the status to answer
     */
    static int transferEncodingStatus(HttpRequest req) {
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
