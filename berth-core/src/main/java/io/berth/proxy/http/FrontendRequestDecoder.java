package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's HTTP/1 request parser, set to HAProxy 2.6's rules where the two differ (each checked against HAProxy,
 * {@code MalformedHeadDifferentialIT}): a bare LF ends a line; a Content-Length listing one value several times is
 * that value; Transfer-Encoding is accepted beside a Content-Length (which is dropped, and the connection closes)
 * and in HTTP/1.0; a header value may hold any byte but CR and LF. Stricter than Netty: the version must be
 * written {@code HTTP/} in capitals, and the URI may hold no control character. What either refuses is a 400.
 */
final class FrontendRequestDecoder extends HttpRequestDecoder {
    FrontendRequestDecoder(int maxHead, int maxChunk) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxHead)
                .setMaxHeaderSize(maxHead)
                .setMaxChunkSize(maxChunk)
                .setStrictLineParsing(false)
                .setAllowDuplicateContentLengths(true)
                .setUseRfc9112TransferEncoding(false)
                .setHeadersFactory(HeaderValues.UNCHECKED));
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        if (!initialLine[2].startsWith("HTTP/")) {
            throw new IllegalArgumentException("invalid HTTP version: " + initialLine[2]);
        }
        String uri = initialLine[1];
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) < 0x20) {
                throw new IllegalArgumentException("control character in the URI");
            }
        }
        return super.createMessage(initialLine);
    }
}
