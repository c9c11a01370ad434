package io.berth.health;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expect rules and their failure wording, as HAProxy 2.6 printed them for the same responses. */
class HttpExpectTest {
    private static final String OK = "HTTP/1.0 200 OK\r\nX-Health: good, fine\r\nContent-Length: 7\r\n\r\nhealthy";

    private static HttpCheckResponse response(String raw) {
        var p = HttpCheckResponse.parse(raw.getBytes(StandardCharsets.ISO_8859_1), true, false);
        assertThat(p).isInstanceOf(HttpCheckResponse.Parsed.class);
        return ((HttpCheckResponse.Parsed) p).response();
    }

    private static CheckOutcome eval(String rule, String raw) {
        return HttpExpect.parse(Arrays.asList(rule.split(" "))).evaluate(response(raw));
    }

    @Test
    void statusListsAndRanges() {
        assertThat(eval("status 200", OK)).isNull();
        assertThat(eval("status 201,204-299,200", OK)).isNull();
        assertThat(eval("status 500-599", OK)).isEqualTo(new CheckOutcome(CheckStatus.L7STS, 200, "OK", 0));
        assertThat(HttpExpect.defaultRule().evaluate(response("HTTP/1.1 302 Found\r\n\r\n"))).isNull();
        assertThat(HttpExpect.defaultRule().evaluate(response("HTTP/1.0 503 Service Unavailable\r\n\r\n")))
                .isEqualTo(new CheckOutcome(CheckStatus.L7STS, 503, "Service Unavailable", 0));
    }

    @Test
    void inverseStatusReportsTheReasonAsInfo() {
        // HAProxy: "Layer7 wrong status, code: 200, info: "OK"" for "! status 200"
        assertThat(eval("! status 200", OK)).isEqualTo(new CheckOutcome(CheckStatus.L7STS, 200, "OK", 0));
        assertThat(eval("! status 500", OK)).isNull();
        assertThat(eval("!status 500", OK)).isNull();
    }

    @Test
    void rstatusSearchesTheCode() {
        assertThat(eval("rstatus ^2", OK)).isNull();
        assertThat(eval("rstatus ^5", OK)).isEqualTo(new CheckOutcome(CheckStatus.L7STS, 200, "OK", 0));
    }

    @Test
    void stringAndRstringReportContentMessages() {
        assertThat(eval("string health", OK)).isNull();
        assertThat(eval("string nothere", OK))
                .isEqualTo(new CheckOutcome(CheckStatus.L7RSP, 200, "HTTP content check did not match", 0));
        assertThat(eval("! string healthy", OK))
                .isEqualTo(new CheckOutcome(CheckStatus.L7RSP, 200, "HTTP check matched unwanted content", 0));
        assertThat(eval("rstring ^heal.hy$", OK)).isNull();
        assertThat(eval("rstring ^nope", OK))
                .isEqualTo(new CheckOutcome(CheckStatus.L7RSP, 200, "HTTP content check did not match", 0));
        assertThat(eval("string x", "HTTP/1.0 200 OK\r\n\r\n")).isEqualTo(new CheckOutcome(CheckStatus.L7RSP, 200,
                "HTTP content check could not find a response body", 0));
    }

    @Test
    void hdrSplitsValuesOnCommasFhdrDoesNot() {
        assertThat(eval("hdr name x-health", OK)).isNull();
        assertThat(eval("hdr name X-HEALTH value fine", OK)).isNull();
        assertThat(eval("fhdr name x-health value fine", OK)).isEqualTo(new CheckOutcome(CheckStatus.L7STS, 200, "OK", 0));
        assertThat(HttpExpect.parse(List.of("fhdr", "name", "x-health", "value", "good, fine")).evaluate(response(OK)))
                .isNull();
        assertThat(eval("hdr name x-health value bad", OK)).isEqualTo(new CheckOutcome(CheckStatus.L7STS, 200, "OK", 0));
        assertThat(eval("hdr name x-he name-match beg value fi value-match beg", OK)).isNull();
        assertThat(eval("hdr name ^x-h.*h$ name-match reg value ^go value-match reg", OK)).isNull();
        assertThat(eval("! hdr name x-absent", OK)).isNull();
    }

    @Test
    void optionsChangeStatusAndInfo() {
        assertThat(eval("error-status L7RSP comment boom status 500", OK))
                .isEqualTo(new CheckOutcome(CheckStatus.L7RSP, 200, "OK comment: boom", 0));
        assertThat(HttpExpect.parse(List.of("tout-status", "L6TOUT", "status", "200")).timeoutStatus())
                .isEqualTo(CheckStatus.L6TOUT);
    }

    @Test
    void refusesUnknownWords() {
        assertThatThrownBy(() -> HttpExpect.parse(List.of("banana", "1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpExpect.parse(List.of("rstring", "(")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid regex");
        assertThatThrownBy(() -> HttpExpect.parse(List.of("status", "2xx"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void responseParsing() {
        var inc = HttpCheckResponse.parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(), false, false);
        assertThat(((HttpCheckResponse.Parsed) inc).response().complete()).isFalse();
        assertThat(HttpCheckResponse.parse("HTTP/1.1 200 OK\r\nConte".getBytes(), false, false))
                .isSameAs(HttpCheckResponse.NEED_MORE);
        assertThat(HttpCheckResponse.parse("HELLO WORLD\r\n\r\n".getBytes(), false, false))
                .isSameAs(HttpCheckResponse.INVALID);
        var chunked = HttpCheckResponse.parse(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".getBytes(), false, false);
        HttpCheckResponse r = ((HttpCheckResponse.Parsed) chunked).response();
        assertThat(new String(r.body())).isEqualTo("abcde");
        assertThat(r.complete()).isTrue();
    }
}
