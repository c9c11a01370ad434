package io.berth.sample;

import java.util.List;
import java.util.Map;

/**
 * HAProxy's predefined ACLs (doc/configuration.txt §7.4), written as the ACL words they stand for and compiled
 * by the same parser as user ACLs. A user ACL of the same name hides one. Immutable.
 */
final class PredefinedAcls {
    private static final Map<String, List<String>> WORDS = Map.ofEntries(
            Map.entry("TRUE", List.of("always_true")),
            Map.entry("FALSE", List.of("always_false")),
            Map.entry("HTTP", List.of("req.proto_http")),
            Map.entry("HTTP_1.0", List.of("req.ver", "1.0")),
            Map.entry("HTTP_1.1", List.of("req.ver", "1.1")),
            Map.entry("HTTP_2.0", List.of("req.ver", "2.0")),
            Map.entry("HTTP_CONTENT", List.of("req.hdr_val(content-length)", "gt", "0")),
            Map.entry("HTTP_URL_ABS", List.of("url_reg", "^[^/:]*://")),
            Map.entry("HTTP_URL_SLASH", List.of("url_beg", "/")),
            Map.entry("HTTP_URL_STAR", List.of("url", "*")),
            Map.entry("LOCALHOST", List.of("src", "127.0.0.1/8", "::1")),
            Map.entry("METH_CONNECT", List.of("method", "CONNECT")),
            Map.entry("METH_DELETE", List.of("method", "DELETE")),
            Map.entry("METH_GET", List.of("method", "GET", "HEAD")),
            Map.entry("METH_HEAD", List.of("method", "HEAD")),
            Map.entry("METH_OPTIONS", List.of("method", "OPTIONS")),
            Map.entry("METH_POST", List.of("method", "POST")),
            Map.entry("METH_PUT", List.of("method", "PUT")),
            Map.entry("METH_TRACE", List.of("method", "TRACE")));

    private PredefinedAcls() {
    }

    /** The compiled predefined ACL {@code name}, or null when there is none by that name. */
    static Acl find(String name) {
        List<String> words = WORDS.get(name);
        if (words == null) {
            return null;
        }
        try {
            return AclParser.parse(name, words);
        } catch (SampleException e) {
            throw new IllegalStateException("predefined ACL " + name + " does not compile: " + e.getMessage(), e);
        }
    }
}
