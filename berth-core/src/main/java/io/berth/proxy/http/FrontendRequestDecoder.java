package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's HTTP/1 request parser with HAProxy 2.6's rules ({@link H1Rules}), and one more of HAProxy's: the URI may
 * hold no control character. What either refuses is a 400 ({@code MalformedHeadDifferentialIT}).
 */
final class FrontendRequestDecoder extends HttpRequestDecoder {
    FrontendRequestDecoder(int maxHead, int maxChunk) {
        super(H1Rules.decoderConfig(maxHead, maxChunk));
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        H1Rules.checkVersion(initialLine[2]);
        String uri = initialLine[1];
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) < 0x20) {
                throw new IllegalArgumentException("control character in the URI");
            }
        }
        return super.createMessage(initialLine);
    }
}
