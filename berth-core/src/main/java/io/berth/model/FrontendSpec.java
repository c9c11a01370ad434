package io.berth.model;

import java.util.List;

/**
 * A {@code frontend} (or the frontend half of a {@code listen}).
 *
 * @param id             the proxy's numeric id (a listen's frontend and backend share one)
 * @param defaultBackend name of the {@code default_backend} (for a listen: itself), or null
 * @param acls           named ACLs declared in this frontend
 * @param maxconn        {@code maxconn}, 0 = the global limit only
 * @param logs           the proxy's {@code log} lines ({@code log global} resolved to the global targets)
 * @param stickTable     the frontend's own {@code stick-table} (rate limiting with {@code track-sc*}), or null;
 *                       a {@code listen}'s table belongs to its backend half
 * @param tcpRequestRules {@code tcp-request connection|session|content} rules, in declaration order
 * @param tcpInspectDelay {@code tcp-request inspect-delay} in ms, or {@link TimeoutsSpec#UNSET}
 */
public record FrontendSpec(String name, int id, Location location, Mode mode, List<BindSpec> binds, String defaultBackend,
                           List<UseBackendSpec> useBackends, List<AclSpec> acls, TimeoutsSpec timeouts, int maxconn,
                           ProxyOptionsSpec options, List<HttpRuleSpec> httpRequestRules,
                           List<HttpRuleSpec> httpResponseRules, List<LogTargetSpec> logs,
                           StickTableSpec stickTable, List<TcpRuleSpec> tcpRequestRules, long tcpInspectDelay,
                           List<CaptureSpec> captures, CookieCaptureSpec cookieCapture) {
    public FrontendSpec {
        captures = captures == null ? List.of() : List.copyOf(captures);
        tcpRequestRules = tcpRequestRules == null ? List.of() : List.copyOf(tcpRequestRules);
        binds = List.copyOf(binds);
        useBackends = List.copyOf(useBackends);
        acls = List.copyOf(acls);
        httpRequestRules = List.copyOf(httpRequestRules);
        httpResponseRules = List.copyOf(httpResponseRules);
        logs = List.copyOf(logs);
    }

    /** A frontend without tcp-request rules (kept for code written before them). */
    public FrontendSpec(String name, int id, Location location, Mode mode, List<BindSpec> binds, String defaultBackend,
                        List<UseBackendSpec> useBackends, List<AclSpec> acls, TimeoutsSpec timeouts, int maxconn,
                        ProxyOptionsSpec options, List<HttpRuleSpec> httpRequestRules,
                        List<HttpRuleSpec> httpResponseRules, List<LogTargetSpec> logs, StickTableSpec stickTable) {
        this(name, id, location, mode, binds, defaultBackend, useBackends, acls, timeouts, maxconn, options,
                httpRequestRules, httpResponseRules, logs, stickTable, List.of(), TimeoutsSpec.UNSET, List.of(), null);
    }

    /** The rules of one phase, in declaration order. */
    public List<TcpRuleSpec> tcpRequestRules(TcpRuleSpec.Phase phase) {
        return tcpRequestRules.stream().filter(r -> r.phase() == phase).toList();
    }

    /** A frontend without a stick table (kept for code written before frontend tables). */
    public FrontendSpec(String name, int id, Location location, Mode mode, List<BindSpec> binds, String defaultBackend,
                        List<UseBackendSpec> useBackends, List<AclSpec> acls, TimeoutsSpec timeouts, int maxconn,
                        ProxyOptionsSpec options, List<HttpRuleSpec> httpRequestRules,
                        List<HttpRuleSpec> httpResponseRules, List<LogTargetSpec> logs) {
        this(name, id, location, mode, binds, defaultBackend, useBackends, acls, timeouts, maxconn, options,
                httpRequestRules, httpResponseRules, logs, null);
    }
}
