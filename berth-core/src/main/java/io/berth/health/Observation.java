package io.berth.health;

import io.berth.model.CheckSpec;

/**
 * What the data plane saw of one exchange with a server, for passive health ({@code observe}): HAProxy's
 * HANA_STATUS_* and its {@code analyze_statuses} table (src/check.c), which says per observe mode whether the event
 * is an error, a success (clears the consecutive error count) or ignored. Immutable.
 */
public enum Observation {
    /** Connection established (src/stream.c sess_establish). */
    L4_OK("L4 successful connection", Kind.OK, Kind.IGNORED),
    /** Connection failed or timed out (src/backend.c back_handle_st_cer). */
    L4_ERR("L4 unsuccessful connection", Kind.ERROR, Kind.ERROR),
    /** Final status 100-499, 501 or 505 (501/505 answer the client's request, not a sick server). */
    HTTP_OK("Correct http response", Kind.IGNORED, Kind.OK),
    /** Any other final status. */
    HTTP_STS("Wrong http response", Kind.IGNORED, Kind.ERROR),
    /** Response headers could not be parsed. */
    HTTP_HDRRSP("Invalid http response (headers)", Kind.IGNORED, Kind.ERROR),
    /** Response body could not be parsed. */
    HTTP_RSP("Invalid http response", Kind.IGNORED, Kind.ERROR),
    /** Read error before the response. */
    HTTP_READ_ERROR("Read error (http)", Kind.IGNORED, Kind.ERROR),
    /** {@code timeout server} before the response. */
    HTTP_READ_TIMEOUT("Read timeout (http)", Kind.IGNORED, Kind.ERROR),
    /** The server closed before the response. */
    HTTP_BROKEN_PIPE("Close from server (http)", Kind.IGNORED, Kind.ERROR);

    /** How an observation counts under one observe mode. */
    public enum Kind { IGNORED, ERROR, OK }

    private final String description;
    private final Kind layer4;
    private final Kind layer7;

    Observation(String description, Kind layer4, Kind layer7) {
        this.description = description;
        this.layer4 = layer4;
        this.layer7 = layer7;
    }

    /** The text HAProxy puts after "last one was: ". */
    public String description() {
        return description;
    }

    /** How this observation counts under {@code mode}; always IGNORED for {@code observe none}. */
    public Kind kind(CheckSpec.Observe mode) {
        return switch (mode) {
            case NONE -> Kind.IGNORED;
            case LAYER4 -> layer4;
            case LAYER7 -> layer7;
        };
    }

    /** The observation for a final HTTP status (src/http_ana.c http_wait_for_response). */
    public static Observation ofStatus(int status) {
        return status >= 100 && (status < 500 || status == 501 || status == 505) ? HTTP_OK : HTTP_STS;
    }
}
