package io.berth.proxy.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HAProxy 2.6.12's bin/bout for one message, measured with show stat after single requests. */
class HtxSizeTest {
    @Test
    void requestHeadsCountAsHaproxysHtx() {
        DefaultHttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a");
        r.headers().add("host", "test").add("connection", "close");
        assertThat(HtxSize.head(r)).isEqualTo(42);
        r.headers().remove("connection");
        assertThat(HtxSize.head(r)).isEqualTo(42);
        r.headers().add("x-foo", "1234567890");
        assertThat(HtxSize.head(r)).isEqualTo(57);
        r.headers().add("Connection", "keep-alive, Upgrade");
        assertThat(HtxSize.head(r)).isEqualTo(57 + "Connection".length() + "Upgrade".length());
        DefaultHttpRequest deny = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/deny");
        deny.headers().add("host", "test").add("connection", "close");
        assertThat(HtxSize.head(deny)).isEqualTo(45);
    }

    @Test
    void preRenderedAnswersCountTheirHeadAndBody() {
        assertThat(HtxSize.raw(ErrorPages.stream(403))).isEqualTo(192);
        DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.NOT_FOUND);
        r.headers().add("content-length", "3");
        assertThat(HtxSize.head(r)).isEqualTo(20 + 8 + 3 + "Not Found".length() + 14 + 1 + 1);
    }
}
