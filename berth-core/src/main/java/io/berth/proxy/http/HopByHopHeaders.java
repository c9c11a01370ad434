package io.berth.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Copies a message's headers for the other side the way HAProxy 2.6 emits them: names in lower case, order kept,
 * hop-by-hop headers dropped ({@code Connection} and every name it lists, {@code Keep-Alive},
 * {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Upgrade}). {@code Transfer-Encoding} is kept: the
 * Netty encoder reads it to frame the body (chunked passthrough). Stateless; any thread.
 */
public final class HopByHopHeaders {
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "upgrade");

    private HopByHopHeaders() {
    }

    /**
     * Appends to {@code out} every end-to-end header of {@code in}, lower-cased.
     *
     * @param keepUpgrade keep {@code Upgrade} (and a {@code Connection: upgrade}) when tunnelling
     */
    public static void copyEndToEnd(HttpHeaders in, HttpHeaders out, boolean keepUpgrade) {
        Set<String> listed = new HashSet<>();
        for (String c : in.getAll("connection")) {
            for (String token : c.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    listed.add(t);
                }
            }
        }
        for (Map.Entry<String, String> e : in) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (keepUpgrade && name.equals("upgrade")) {
                out.add(AsciiString.of(name), e.getValue());
                continue;
            }
            if (ALWAYS.contains(name) || (listed.contains(name) && !name.equals("transfer-encoding")
                    && !name.equals("content-length"))) {
                continue;
            }
            out.add(AsciiString.of(name), e.getValue());
        }
    }

    /** True when the {@code Connection} header lists {@code token} (case-insensitive). */
    public static boolean connectionHas(HttpHeaders headers, String token) {
        for (String c : headers.getAll("connection")) {
            for (String t : c.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
