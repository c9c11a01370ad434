package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Response decoder of a server connection that knows the response answers a HEAD request (no body whatever the
 * headers say). Requests are sent one at a time per connection, so one flag set before each request suffices.
 * Event-loop confined.
 */
final class BackendResponseDecoder extends HttpResponseDecoder {
    boolean head;

    BackendResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (head && msg instanceof HttpResponse r && r.status().code() >= 200) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }
}
