package io.berth.proxy.http;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Header values as HAProxy 2.6 passes them on: any byte but CR and LF (the line end), control characters
 * included, where Netty's default headers refuse controls. Names are still checked. Used for every message
 * Berth parses or builds on the way through, so that a value HAProxy forwards is never refused midway.
 */
final class HeaderValues {
    /** Headers that check names but not values. */
    static final HttpHeadersFactory UNCHECKED = DefaultHttpHeadersFactory.headersFactory().withValueValidation(false);

    private HeaderValues() {
    }
}
