package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;

/**
 * Response decoder of a server connection that knows the response answers a HEAD request (no body whatever the
 * headers say). Requests are sent one at a time per connection, so one flag set before each request suffices.
 * Set to HAProxy 2.6's rules where they differ from Netty's (checked against HAProxy, {@code
 * MalformedResponseDifferentialIT}): bare LF line ends, a Content-Length repeating one value, Transfer-Encoding
 * beside a Content-Length (chunked wins) and control bytes in values are taken; a version not written
 * {@code HTTP/} in capitals, and a Transfer-Encoding not ending with {@code chunked}, make the response invalid.
 * Event-loop confined.
 */
final class BackendResponseDecoder extends HttpResponseDecoder {
    boolean head;

    BackendResponseDecoder(int maxHead, int maxChunk) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxHead)
                .setMaxHeaderSize(maxHead)
                .setMaxChunkSize(maxChunk)
                .setStrictLineParsing(false)
                .setAllowDuplicateContentLengths(true)
                .setUseRfc9112TransferEncoding(false)
                .setHeadersFactory(HeaderValues.UNCHECKED));
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
        if (!initialLine[0].startsWith("HTTP/")) {
            throw new IllegalArgumentException("invalid HTTP version: " + initialLine[0]);
        }
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
