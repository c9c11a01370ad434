package io.berth.sample;

/**
 * A compiled log-format string (HAProxy's {@code %[fetch,conv]}, {@code %s}, {@code %b}, {@code %ci}, ...
 * and literal text), as used by {@code http-request set-header} values. Immutable, thread-safe.
 */
@FunctionalInterface
public interface LogFormat {
    String render(SampleContext ctx);
}
