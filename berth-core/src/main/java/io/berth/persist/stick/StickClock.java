package io.berth.persist.stick;

/**
 * HAProxy's {@code now_ms}: a wrapping 32-bit millisecond tick from the monotonic clock, compared by difference
 * ({@code (int) (a - b) <= 0}), never by value. Stateless and thread-safe.
 */
public final class StickClock {
    private StickClock() {
    }

    public static int now() {
        return (int) (System.nanoTime() / 1_000_000L);
    }
}
