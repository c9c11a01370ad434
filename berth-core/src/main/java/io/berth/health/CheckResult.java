package io.berth.health;

/**
 * What a finished check means for the server's health counter, as HAProxy's {@code CHK_RES_*} values
 * (numbers as {@code srv_check_result} in {@code show servers state}).
 */
public enum CheckResult {
    UNKNOWN(0), NEUTRAL(1), FAILED(2), PASSED(3), CONDPASS(4);

    private final int code;

    CheckResult(int code) {
        this.code = code;
    }

    /** HAProxy's numeric value. */
    public int code() {
        return code;
    }
}
