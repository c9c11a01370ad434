package io.berth.proxy.http;

import io.berth.model.CaptureSpec;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;

/**
 * Takes the values {@code capture request|response header} logs: the last occurrence of each header, cut to its
 * length (HAProxy's {@code http_capture_headers}). Stateless.
 */
final class HeaderCaptures {
    private HeaderCaptures() {
    }

    /** The captured values (an entry null when the header is absent), or null when nothing is captured. */
    static String[] take(CaptureSpec[] captures, HttpHeaders headers) {
        if (captures.length == 0) {
            return null;
        }
        String[] values = new String[captures.length];
        for (int i = 0; i < captures.length; i++) {
            List<String> all = headers.getAll(captures[i].header());
            if (!all.isEmpty()) {
                String v = all.get(all.size() - 1);
                values[i] = v.length() > captures[i].length() ? v.substring(0, captures[i].length()) : v;
            }
        }
        return values;
    }

    /** Slots for a message that has not come yet (logged empty if it never does), or null without captures. */
    static String[] none(CaptureSpec[] captures) {
        return captures.length == 0 ? null : new String[captures.length];
    }
}
