package io.berth.proxy.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The URI arithmetic of the request-line actions (their behaviour against HAProxy is
 * {@code RequestLineRewriteDifferentialIT}'s), and the rewrites Berth refuses where HAProxy would send a broken
 * request line: a blank or control character in the URI, a method that is not a token.
 */
class RequestLineRewriteTest {
    private static HttpRequest get(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    @Test
    void pathAndQueryOfOriginAndAbsoluteForms() {
        assertThat(RequestLineRewrite.withPath("/a/b?x=1", "/c")).isEqualTo("/c?x=1");
        assertThat(RequestLineRewrite.withPath("http://h:81/a?x", "/c")).isEqualTo("http://h:81/c?x");
        assertThat(RequestLineRewrite.withPath("http://h?x", "/c")).isEqualTo("http://h/c?x");
        assertThat(RequestLineRewrite.path("http://h/a/b?x")).isEqualTo("/a/b");
        assertThat(RequestLineRewrite.withQuery("/a?x=1", "y=2")).isEqualTo("/a?y=2");
        assertThat(RequestLineRewrite.withQuery("/a", "y=2")).isEqualTo("/a?y=2");
        assertThat(RequestLineRewrite.withQuery("/a?x=1", "")).isEqualTo("/a");
    }

    @Test
    void rewritesThatWouldBreakTheRequestLineAreNotMade() {
        HttpRequest r = get("/x");
        assertThat(RequestLineRewrite.setUri(r, "/a b")).isFalse();
        assertThat(RequestLineRewrite.setUri(r, "/a\tb")).isFalse();
        assertThat(RequestLineRewrite.setUri(r, "")).isFalse();
        assertThat(r.uri()).isEqualTo("/x");
        assertThat(RequestLineRewrite.setUri(r, "/a%20b")).isTrue();
        assertThat(r.uri()).isEqualTo("/a%20b");
        assertThat(RequestLineRewrite.setMethod(r, "GE T")).isFalse();
        assertThat(RequestLineRewrite.setMethod(r, "GET/")).isFalse();
        assertThat(r.method()).isEqualTo(HttpMethod.GET);
        assertThat(RequestLineRewrite.setMethod(r, "PURGE")).isTrue();
        assertThat(r.method().name()).isEqualTo("PURGE");
        RequestLineRewrite.replacePath(r, Pattern.compile("^/a(.*)"), "/b\\1 x");
        assertThat(r.uri()).isEqualTo("/a%20b");
        RequestLineRewrite.replacePath(r, Pattern.compile("^/a(.*)"), "/b\\1");
        assertThat(r.uri()).isEqualTo("/b%20b");
    }
}
