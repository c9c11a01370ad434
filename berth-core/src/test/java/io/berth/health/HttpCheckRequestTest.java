package io.berth.health;

import io.berth.model.HttpCheckSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Request bytes against the wire forms captured from HAProxy 2.6 (reference §4 and captures of this issue). */
class HttpCheckRequestTest {
    private static String wire(String m, String u, String v, List<String> hdrs, String body) {
        return HttpCheckRequest.of(new HttpCheckSpec(m, u, v, hdrs, body, List.of())).toString();
    }

    @Test
    void optionHttpchkAlone() {
        assertThat(wire(null, null, null, List.of(), null)).isEqualTo("OPTIONS / HTTP/1.0\r\n\r\n");
    }

    @Test
    void http11GetsConnectionCloseAfterUserHeadersAndNoHostByDefault() {
        assertThat(wire("GET", "/health", "HTTP/1.1", List.of("host: www.example.com", "X-Probe: yes"), null))
                .isEqualTo("GET /health HTTP/1.1\r\nhost: www.example.com\r\nx-probe: yes\r\nconnection: close\r\n\r\n");
        assertThat(wire("GET", "/health", "HTTP/1.1", List.of(), null))
                .isEqualTo("GET /health HTTP/1.1\r\nconnection: close\r\n\r\n");
    }

    @Test
    void bodyGetsContentLengthBeforeConnection() {
        assertThat(wire("POST", "/check", "HTTP/1.1", List.of("host: h.example", "content-type: application/json"),
                "{\"ping\":1}")).isEqualTo("POST /check HTTP/1.1\r\nhost: h.example\r\ncontent-type: application/json\r\n"
                + "content-length: 10\r\nconnection: close\r\n\r\n{\"ping\":1}");
        assertThat(wire("POST", "/c", "HTTP/1.0", List.of(), "hello"))
                .isEqualTo("POST /c HTTP/1.0\r\ncontent-length: 5\r\n\r\nhello");
    }

    @Test
    void http10HeadersAreLowerCasedWithoutConnection() {
        assertThat(wire("GET", "/x", "HTTP/1.0", List.of("Host: h.example", "X-Probe: yes"), null))
                .isEqualTo("GET /x HTTP/1.0\r\nhost: h.example\r\nx-probe: yes\r\n\r\n");
        assertThat(wire("HEAD", "/y", null, List.of(), null)).isEqualTo("HEAD /y HTTP/1.0\r\n\r\n");
    }

    @Test
    void userKeepAliveOnHttp11DropsTheImplicitClose() {
        assertThat(wire("GET", "/z", "HTTP/1.1", List.of("Host: h", "Connection: keep-alive"), null))
                .isEqualTo("GET /z HTTP/1.1\r\nhost: h\r\n\r\n");
    }

    @Test
    void oldFormHeadersSmuggledAfterVersion() {
        assertThat(wire("GET", "/", "HTTP/1.1\r\nHost: www", List.of(), null))
                .isEqualTo("GET / HTTP/1.1\r\nhost: www\r\nconnection: close\r\n\r\n");
    }
}
