package io.berth.health;

/**
 * The result of one finished probe: HAProxy's {@code check->status}, {@code check->code}, {@code check->desc}
 * and {@code check->duration}. Immutable; built on the probing event loop.
 *
 * @param status     what happened
 * @param code       the HTTP status code read, or 0 when none (printed only for statuses from L7OK on)
 * @param info       the {@code info: "..."} text, empty when HAProxy prints none
 * @param durationMs milliseconds from the start of the probe to its verdict
 */
public record CheckOutcome(CheckStatus status, int code, String info, long durationMs) {
    public CheckOutcome {
        info = info == null ? "" : info;
    }

    public CheckOutcome withDuration(long ms) {
        return new CheckOutcome(status, code, info, ms);
    }
}
