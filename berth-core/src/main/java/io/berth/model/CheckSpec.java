package io.berth.model;

/**
 * Health-check arguments of one server ({@code check inter fastinter downinter rise fall port addr}) and its passive
 * health and state-change arguments ({@code observe error-limit on-error on-marked-down on-marked-up slowstart}).
 * Values are HAProxy's defaults when not written: inter 2000 ms, fastinter/downinter = inter, rise 2, fall 3,
 * observe none, error-limit 10, on-error fail-check, no slowstart.
 *
 * @param enabled                 {@code check} given
 * @param port                    {@code port N}, 0 = the server's port
 * @param addr                    {@code addr A}, null = the server's address
 * @param observe                 {@code observe layer4|layer7}: what of the live traffic counts as errors
 * @param errorLimit              {@code error-limit N}: consecutive errors that trigger {@code onError}
 * @param onError                 {@code on-error ...}: what reaching the error limit does
 * @param shutdownSessionsOnDown  {@code on-marked-down shutdown-sessions}
 * @param shutdownBackupSessionsOnUp {@code on-marked-up shutdown-backup-sessions}
 * @param slowstartMs             {@code slowstart T}, 0 = none; HAProxy keeps whole seconds (rounded up)
 */
public record CheckSpec(boolean enabled, long interMs, long fastInterMs, long downInterMs, int rise, int fall,
                        int port, String addr, Observe observe, int errorLimit, OnError onError,
                        boolean shutdownSessionsOnDown, boolean shutdownBackupSessionsOnUp, long slowstartMs) {
    public static final CheckSpec NONE = new CheckSpec(false, 2000, 2000, 2000, 2, 3, 0, null);

    /** HAProxy's DEF_HANA_ERRLIMIT. */
    public static final int DEFAULT_ERROR_LIMIT = 10;

    /** {@code observe}: HAProxy's HANA_OBS_*. */
    public enum Observe { NONE, LAYER4, LAYER7 }

    /** {@code on-error}: HAProxy's HANA_ONERR_*. */
    public enum OnError { FASTINTER, FAIL_CHECK, SUDDEN_DEATH, MARK_DOWN }

    /** Check arguments only (kept for code written before passive health). */
    public CheckSpec(boolean enabled, long interMs, long fastInterMs, long downInterMs, int rise, int fall, int port,
                     String addr) {
        this(enabled, interMs, fastInterMs, downInterMs, rise, fall, port, addr, Observe.NONE, DEFAULT_ERROR_LIMIT,
                OnError.FAIL_CHECK, false, false, 0);
    }
}
