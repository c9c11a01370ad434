package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Response encoder of a client connection that knows when the response answers a HEAD request, so it writes
 * headers (Content-Length or chunked included) but no body framing. The HTTP handler sets {@link #head} just before
 * writing each response; event-loop confined.
 */
final class FrontendResponseEncoder extends HttpResponseEncoder {
    boolean head;

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return (head && msg.status().code() >= 200) || super.isContentAlwaysEmpty(msg);
    }
}
