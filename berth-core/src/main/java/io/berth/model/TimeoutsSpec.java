package io.berth.model;

/**
 * The {@code timeout} values of a proxy, in milliseconds; {@link #UNSET} (-1) means not configured (infinite,
 * or falls back as HAProxy does: http-request → client, http-keep-alive → http-request, queue → connect).
 */
public record TimeoutsSpec(long connect, long client, long server, long httpRequest, long httpKeepAlive,
                           long queue, long tunnel, long check, long clientFin, long serverFin, long tarpit) {
    public static final long UNSET = -1;
    public static final TimeoutsSpec NONE = new TimeoutsSpec(UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET);

    /** {@code timeout http-request}, else {@code timeout client}. */
    public long effectiveHttpRequest() {
        return httpRequest != UNSET ? httpRequest : client;
    }

    /** {@code timeout http-keep-alive}, else the effective http-request timeout. */
    public long effectiveHttpKeepAlive() {
        return httpKeepAlive != UNSET ? httpKeepAlive : effectiveHttpRequest();
    }

    /** {@code timeout queue}, else {@code timeout connect}. */
    public long effectiveQueue() {
        return queue != UNSET ? queue : connect;
    }

    /** {@code timeout tunnel}, else the larger of client and server as HAProxy uses for tunnels. */
    public long effectiveTunnel() {
        if (tunnel != UNSET) {
            return tunnel;
        }
        if (client == UNSET || server == UNSET) {
            return UNSET;
        }
        return Math.max(client, server);
    }
}
