package io.berth.model;

/**
 * The {@code option ...} switches of a proxy that this issue supports.
 *
 * @param forwardFor       {@code option forwardfor}
 * @param forwardForHeader header name, {@code X-Forwarded-For} unless {@code header NAME} was given
 * @param forwardForExceptNetwork the {@code except NET} argument, or null
 * @param forwardForIfNone {@code if-none}: only add when absent
 * @param httpLog          {@code option httplog}
 * @param tcpLog           {@code option tcplog}
 * @param connectionMode   keep-alive / server-close / close
 * @param redispatch       {@code option redispatch}
 * @param redispatchInterval its interval argument (HAProxy's default -1 = last retry)
 * @param allBackups       {@code option allbackups}
 * @param persist          {@code option persist}
 * @param dontLogNull      {@code option dontlognull}
 * @param logHealthChecks  {@code option log-health-checks}
 * @param retryOn          {@code retry-on} events (backend side); default {@code conn-failure}, empty for {@code none}
 */
public record ProxyOptionsSpec(boolean forwardFor, String forwardForHeader, String forwardForExceptNetwork,
                               boolean forwardForIfNone, boolean httpLog, boolean tcpLog,
                               HttpConnectionMode connectionMode, boolean redispatch, int redispatchInterval,
                               boolean allBackups, boolean persist, boolean dontLogNull,
                               boolean logHealthChecks, java.util.Set<RetryOn> retryOn) {
    public static final ProxyOptionsSpec DEFAULTS = new ProxyOptionsSpec(false, "X-Forwarded-For", null, false,
            false, false, HttpConnectionMode.KEEP_ALIVE, false, -1, false, false, false, false, RetryOn.defaults());

    public ProxyOptionsSpec {
        retryOn = retryOn == null ? RetryOn.defaults() : java.util.Set.copyOf(retryOn);
    }

    /** Options with the default {@code retry-on conn-failure} (kept for code written before retry-on). */
    public ProxyOptionsSpec(boolean forwardFor, String forwardForHeader, String forwardForExceptNetwork,
                            boolean forwardForIfNone, boolean httpLog, boolean tcpLog,
                            HttpConnectionMode connectionMode, boolean redispatch, int redispatchInterval,
                            boolean allBackups, boolean persist, boolean dontLogNull, boolean logHealthChecks) {
        this(forwardFor, forwardForHeader, forwardForExceptNetwork, forwardForIfNone, httpLog, tcpLog, connectionMode,
                redispatch, redispatchInterval, allBackups, persist, dontLogNull, logHealthChecks, RetryOn.defaults());
    }
}
