package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;

/**
 * Response decoder of a server connection that knows the response answers a HEAD request (no body whatever the
 * headers say). Requests are sent one at a time per connection, so one flag set before each request suffices.
 * Set to HAProxy 2.6's rules ({@link H1Rules}), and two more of HAProxy's: a blank between a header name and its
 * colon, and (checked by the relay) a Transfer-Encoding not ending with {@code chunked}, make the response
 * invalid ({@code MalformedResponseDifferentialIT}).
 * Event-loop confined.
 */
final class BackendResponseDecoder extends HttpResponseDecoder {
    boolean head;

    BackendResponseDecoder(int maxHead, int maxChunk) {
        super(H1Rules.decoderConfig(maxHead, maxChunk));
    }

    /**
     * Netty lets a response header name end in blanks before its colon (RFC 9112 allows a proxy to strip them);
     * HAProxy refuses the response (502), so a blank right after the name makes it invalid here too.
     */
    @Override
    protected AsciiString splitHeaderName(byte[] line, int start, int length) {
        int after = start + length;
        if (after < line.length && (line[after] == ' ' || line[after] == '\t')) {
            throw new IllegalArgumentException("blank between a header name and its colon");
        }
        return super.splitHeaderName(line, start, length);
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) {
        H1Rules.checkVersion(initialLine[0]);
        return super.createMessage(initialLine);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (head && msg instanceof HttpResponse r && r.status().code() >= 200) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }
}
