package io.berth.model;

/**
 * Health-check arguments of one server ({@code check inter fastinter downinter rise fall port addr}).
 * Values are HAProxy's defaults when not written: inter 2000 ms, fastinter/downinter = inter, rise 2, fall 3.
 *
 * @param enabled {@code check} given
 * @param port    {@code port N}, 0 = the server's port
 * @param addr    {@code addr A}, null = the server's address
 */
public record CheckSpec(boolean enabled, long interMs, long fastInterMs, long downInterMs, int rise, int fall,
                        int port, String addr) {
    public static final CheckSpec NONE = new CheckSpec(false, 2000, 2000, 2000, 2, 3, 0, null);
}
