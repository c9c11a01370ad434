package io.berth.config;

import io.berth.model.HttpCheckSpec;

import java.util.ArrayList;
import java.util.List;

/** {@code option httpchk} / {@code http-check} settings of one proxy while parsed. Parser thread only. */
public final class HttpCheckDraft {
    public String method = "OPTIONS";
    public String uri = "/";
    public String version = "HTTP/1.0";
    public final List<String> headers = new ArrayList<>();
    public String body;
    public final List<List<String>> expect = new ArrayList<>();

    public HttpCheckDraft copy() {
        HttpCheckDraft c = new HttpCheckDraft();
        c.method = method;
        c.uri = uri;
        c.version = version;
        c.headers.addAll(headers);
        c.body = body;
        c.expect.addAll(expect);
        return c;
    }

    public HttpCheckSpec freeze() {
        return new HttpCheckSpec(method, uri, version, headers, body, expect);
    }
}
