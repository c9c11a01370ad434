package io.berth.proxy.http;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * HAProxy 2.6's HTTP/1 parsing rules where Netty's decoders differ by default, for both directions (each rule
 * checked against HAProxy: {@code MalformedHeadDifferentialIT}, {@code MalformedResponseDifferentialIT}): a bare LF
 * ends a line; a Content-Length listing one value several times is that value; Transfer-Encoding is taken beside
 * a Content-Length (chunked wins, the length is dropped) and in HTTP/1.0; a header value may hold any byte but CR
 * and LF; the version must be written {@code HTTP/} in capitals.
 */
final class H1Rules {
    /** Headers that check names but not values: used for every message Berth parses or builds on the way. */
    static final HttpHeadersFactory UNCHECKED_VALUES =
            DefaultHttpHeadersFactory.headersFactory().withValueValidation(false);

    private H1Rules() {
    }

    /** A decoder configuration with HAProxy's rules, heads up to {@code maxHead} bytes. */
    static HttpDecoderConfig decoderConfig(int maxHead, int maxChunk) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxHead)
                .setMaxHeaderSize(maxHead)
                .setMaxChunkSize(maxChunk)
                .setStrictLineParsing(false)
                .setAllowDuplicateContentLengths(true)
                .setUseRfc9112TransferEncoding(false)
                .setHeadersFactory(UNCHECKED_VALUES);
    }

    /** Refuses a version HAProxy refuses (lower-case {@code http/1.1}); Netty takes any case. */
    static void checkVersion(String version) {
        if (!version.startsWith("HTTP/")) {
            throw new IllegalArgumentException("invalid HTTP version: " + version);
        }
    }
}
