package io.berth.health;

/**
 * HAProxy's health-check status codes ({@code enum healthcheck_status}, {@code check_statuses[]} in src/check.c):
 * the number shown as {@code srv_check_status}, the short name shown in {@code show stat} ({@code check_status})
 * and the description used after {@code reason:} in log lines. Immutable; shared by every thread.
 */
public enum CheckStatus {
    UNKNOWN(0, "UNK", "Unknown", CheckResult.UNKNOWN),
    INI(1, "INI", "Initializing", CheckResult.UNKNOWN),
    START(2, "", "", CheckResult.UNKNOWN),
    CHECKED(3, "CHECKED", "No status change", CheckResult.NEUTRAL),
    HANA(4, "HANA", "Health analyze", CheckResult.FAILED),
    SOCKERR(5, "SOCKERR", "Socket error", CheckResult.FAILED),
    L4OK(6, "L4OK", "Layer4 check passed", CheckResult.PASSED),
    L4TOUT(7, "L4TOUT", "Layer4 timeout", CheckResult.FAILED),
    L4CON(8, "L4CON", "Layer4 connection problem", CheckResult.FAILED),
    L6OK(9, "L6OK", "Layer6 check passed", CheckResult.PASSED),
    L6TOUT(10, "L6TOUT", "Layer6 timeout", CheckResult.FAILED),
    L6RSP(11, "L6RSP", "Layer6 invalid response", CheckResult.FAILED),
    L7TOUT(12, "L7TOUT", "Layer7 timeout", CheckResult.FAILED),
    L7RSP(13, "L7RSP", "Layer7 invalid response", CheckResult.FAILED),
    /** Dummy boundary: statuses from here on carry an HTTP code ({@code code: N} in logs). */
    L57DATA(14, "", "", CheckResult.UNKNOWN),
    L7OKD(15, "L7OK", "Layer7 check passed", CheckResult.PASSED),
    L7OKCD(16, "L7OKC", "Layer7 check conditionally passed", CheckResult.CONDPASS),
    L7STS(17, "L7STS", "Layer7 wrong status", CheckResult.FAILED),
    PROCERR(18, "PROCERR", "External check error", CheckResult.FAILED),
    PROCTOUT(19, "PROCTOUT", "External check timeout", CheckResult.FAILED),
    PROCOK(20, "PROCOK", "External check passed", CheckResult.PASSED);

    private final int code;
    private final String info;
    private final String description;
    private final CheckResult result;

    CheckStatus(int code, String info, String description, CheckResult result) {
        this.code = code;
        this.info = info;
        this.description = description;
        this.result = result;
    }

    /** HAProxy's number ({@code srv_check_status}). */
    public int code() {
        return code;
    }

    /** Short name as in {@code show stat}'s {@code check_status}, e.g. {@code L7OK}. */
    public String info() {
        return info.isEmpty() ? UNKNOWN.info : info;
    }

    /** Text after {@code reason:} in logs, e.g. {@code Layer7 wrong status}. */
    public String description() {
        return description.isEmpty() ? UNKNOWN.description : description;
    }

    public CheckResult result() {
        return result;
    }

    /** True when log lines print {@code code: N} after the reason (HAProxy: status >= L57DATA). */
    public boolean hasHttpCode() {
        return code >= L57DATA.code;
    }

    /**
     * The status named in {@code http-check expect ... ok-status|error-status|tout-status NAME}.
     *
     * @throws IllegalArgumentException for a name HAProxy refuses there
     */
    public static CheckStatus byExpectName(String name) {
        return switch (name) {
            case "L7OK" -> L7OKD;
            case "L7OKC" -> L7OKCD;
            case "L7RSP" -> L7RSP;
            case "L7STS" -> L7STS;
            case "L7TOUT" -> L7TOUT;
            case "L6OK" -> L6OK;
            case "L6RSP" -> L6RSP;
            case "L6TOUT" -> L6TOUT;
            case "L4OK" -> L4OK;
            case "L4CON" -> L4CON;
            case "L4TOUT" -> L4TOUT;
            default -> throw new IllegalArgumentException("unknown check status '" + name + "'");
        };
    }
}
