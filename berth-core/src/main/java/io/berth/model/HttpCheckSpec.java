package io.berth.model;

import java.util.List;

/**
 * A backend's HTTP health check: {@code option httpchk [METH] [URI] [VER]} and {@code http-check send/expect}.
 *
 * @param method  request method, {@code OPTIONS} by default
 * @param uri     request URI, {@code /} by default
 * @param version {@code HTTP/1.0} by default
 * @param headers extra header lines "name: value" from {@code http-check send hdr N V}
 * @param body    request body or null
 * @param expect  the backend's http-check steps in order, as HAProxy keeps its check ruleset: each
 *                {@code http-check expect} rule as its words ({@code status 200}, {@code ! string x}); an
 *                {@code http-check connect} as {@code connect} + its words; after a connect, each
 *                {@code http-check send} as the marker {@code send} (its settings are the fields above). Without
 *                a connect the list holds the expect rules alone; empty = 2xx/3xx pass. Read through
 *                io.berth.health.HttpCheckSteps and CheckConnect.
 */
public record HttpCheckSpec(String method, String uri, String version, List<String> headers, String body,
                            List<List<String>> expect) {
    public HttpCheckSpec {
        headers = List.copyOf(headers);
        expect = List.copyOf(expect);
    }
}
