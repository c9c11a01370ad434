package io.berth.proxy.http;

import io.berth.runtime.HttpRule;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeFrontend;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The services an {@code http-request use-service <name>} rule hands a request to, answered on the event loop
 * like a {@code return} (HAProxy's applets: {@code prometheus-exporter}, the stats page). The data plane cannot
 * import the runtime API (same layer), so the API registers its services here at start-up
 * ({@code api/HttpServices.install}); a name nobody registered answers 503. Registration happens once, reads on
 * every event loop: a concurrent map.
 */
public final class Services {
    /** What a service sees of the request. {@code header} returns the first value of a header, or null. */
    public record Request(Runtime runtime, RuntimeFrontend frontend, String method, String uri,
                          Function<String, String> header, List<String> args) {
    }

    /**
     * A complete answer: status, headers in order (name, value pairs, lower case; {@code content-length} is added
     * after them unless given), body.
     */
    public record Reply(int status, List<String> headers, byte[] body) {
        public Reply {
            headers = List.copyOf(headers);
        }

        public static Reply text(int status, String contentType, String body) {
            return new Reply(status, List.of("cache-control", "no-cache", "content-type", contentType),
                    body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One service. Runs on an event loop: must answer from memory, never block. */
    @FunctionalInterface
    public interface Service {
        Reply answer(Request request);
    }

    private static final Map<String, Service> SERVICES = new ConcurrentHashMap<>();

    private Services() {
    }

    /** Registers (or replaces) the service of that name. */
    public static void register(String name, Service service) {
        SERVICES.put(name, service);
    }

    /** The answer to a USE_SERVICE rule, rendered as HTTP/1.1 bytes with a content-length; sets the status. */
    static byte[] answer(HttpRule rule, HttpTransaction tx) {
        List<String> args = rule.spec().args();
        Service s = SERVICES.get(args.get(0));
        if (s == null) {
            tx.status = 503;
            return ErrorPages.stream(503);
        }
        Reply r;
        try {
            r = s.answer(new Request(tx.session.runtime(), tx.session.frontend(), tx.request.method().name(),
                    tx.request.uri(), tx.request.headers()::get, args));
        } catch (RuntimeException e) {
            tx.status = 500;
            return ErrorPages.has(500) ? ErrorPages.stream(500) : ErrorPages.stream(503);
        }
        tx.status = r.status();
        tx.session.frontend().counters.intercepted.increment();
        return render(r, tx.head, !io.netty.handler.codec.http.HttpUtil.isKeepAlive(tx.request));
    }

    /**
     * The answer's bytes; {@code close} when the client asked to close (HAProxy then says {@code connection:
     * close}, and the data plane closes after the answer).
     */
    static byte[] render(Reply r, boolean head, boolean close) {
        StringBuilder h = new StringBuilder(256);
        h.append("HTTP/1.1 ").append(r.status()).append(' ')
                .append(io.netty.handler.codec.http.HttpResponseStatus.valueOf(r.status()).reasonPhrase())
                .append("\r\n");
        boolean length = false;
        for (int i = 0; i + 1 < r.headers().size(); i += 2) {
            length |= r.headers().get(i).equals("content-length");
            h.append(r.headers().get(i)).append(": ").append(r.headers().get(i + 1)).append("\r\n");
        }
        if (!length) {
            h.append("content-length: ").append(r.body().length).append("\r\n");
        }
        if (close) {
            h.append("connection: close\r\n");
        }
        h.append("\r\n");
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int bodyLength = head ? 0 : r.body().length;
        byte[] all = new byte[hb.length + bodyLength];
        System.arraycopy(hb, 0, all, 0, hb.length);
        System.arraycopy(r.body(), 0, all, hb.length, bodyLength);
        return all;
    }
}
