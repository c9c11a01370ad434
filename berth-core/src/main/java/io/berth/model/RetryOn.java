package io.berth.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The events of {@code retry-on} (HAProxy 2.6 src/proxy.c {@code proxy_parse_retry_on}). The default set is
 * {@link #CONN_FAILURE} alone; {@code retry-on none} is the empty set (then not even a failed connect is retried).
 * Every event but {@link #CONN_FAILURE} is a layer-7 retry: the request is sent again after it left, which HAProxy
 * only does when the whole request was received before it was first sent.
 */
public enum RetryOn {
    CONN_FAILURE("conn-failure", 0),
    EMPTY_RESPONSE("empty-response", 0),
    JUNK_RESPONSE("junk-response", 0),
    RESPONSE_TIMEOUT("response-timeout", 0),
    ZERO_RTT_REJECTED("0rtt-rejected", 0),
    S401("401", 401),
    S403("403", 403),
    S404("404", 404),
    S408("408", 408),
    S425("425", 425),
    S500("500", 500),
    S501("501", 501),
    S502("502", 502),
    S503("503", 503),
    S504("504", 504);

    private final String keyword;
    private final int status;

    RetryOn(String keyword, int status) {
        this.keyword = keyword;
        this.status = status;
    }

    /** The word written after {@code retry-on}. */
    public String keyword() {
        return keyword;
    }

    /** The response status this event retries, or 0 for the non-status events. */
    public int status() {
        return status;
    }

    /** HAProxy's default: only failed connects are retried. */
    public static Set<RetryOn> defaults() {
        return EnumSet.of(CONN_FAILURE);
    }

    /** {@code all-retryable-errors}: every event but 401, 403, 404, 408, 425 and 501. */
    public static Set<RetryOn> allRetryableErrors() {
        return EnumSet.of(CONN_FAILURE, EMPTY_RESPONSE, RESPONSE_TIMEOUT, S500, S502, S503, S504,
                ZERO_RTT_REJECTED, JUNK_RESPONSE);
    }

    /** The event of {@code keyword}, or null. */
    public static RetryOn of(String keyword) {
        for (RetryOn r : values()) {
            if (r.keyword.equals(keyword)) {
                return r;
            }
        }
        return null;
    }

    /** True when {@code set} holds an event that resends a request which already left (HAProxy's TX_L7_RETRY). */
    public static boolean hasLayer7(Set<RetryOn> set) {
        for (RetryOn r : set) {
            if (r != CONN_FAILURE) {
                return true;
            }
        }
        return false;
    }
}
