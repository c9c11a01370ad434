package io.berth.health;

/**
 * Immutable snapshot of one server's health check, published after every check by its event loop and read by
 * anyone (runtime API {@code show stat}/{@code show servers state}, stats page).
 *
 * @param server        server name
 * @param status        last check status ({@link CheckStatus#INI} before the first check)
 * @param code          last HTTP code (0 if none)
 * @param info          last check's info text (HAProxy's {@code last_chk}), may be empty
 * @param durationMs    last check duration, -1 before the first check
 * @param health        the counter h in [0, rise+fall-1]
 * @param rise          {@code rise}
 * @param fall          {@code fall}
 * @param down          the checks hold the server DOWN
 * @param paused        checks are suspended (server in MAINT)
 * @param inProgress    a check is running right now ({@code show stat} prefixes {@code * })
 * @param statusText    {@code show stat} status: {@code UP}, {@code UP 2/3}, {@code DOWN 1/2}, {@code DOWN},
 *                      {@code MAINT}, {@code DRAIN}, {@code NOLB} ...
 * @param lastChangeMs  wall-clock time (epoch ms) of the last UP/DOWN transition (or of the start)
 */
public record CheckState(String server, CheckStatus status, int code, String info, long durationMs, int health,
                         int rise, int fall, boolean down, boolean paused, boolean inProgress, String statusText,
                         long lastChangeMs) {

    /** HAProxy's {@code srv_check_result}: the result class of the last status. */
    public CheckResult result() {
        return status.result();
    }

    /** {@code show stat} {@code check_status}: short name, {@code * } prefixed while a check runs. */
    public String checkStatusField() {
        return (inProgress ? "* " : "") + status.info();
    }
}
