package io.berth.model;

import java.util.List;

/**
 * A {@code backend} (or the backend half of a {@code listen}).
 *
 * @param id        the proxy's numeric id (HAProxy's {@code uuid}: declaration order of all proxies, from 1 ...)
 * @param servers   servers in declaration order, {@code default-server} applied
 * @param retries   {@code retries}, default 3
 * @param httpCheck {@code option httpchk} / {@code http-check}, or null for plain TCP checks
 * @param logs      the proxy's {@code log} lines
 * @param cookie    the {@code cookie} line, or null when the backend has no cookie persistence
 * @param dynamicCookieKey {@code dynamic-cookie-key}, or null
 * @param persistRules {@code force-persist} / {@code ignore-persist} rules, in declaration order
 * @param stickTable the backend's own {@code stick-table}, or null
 * @param stickRules {@code stick on|match|store-request|store-response} rules, in declaration order
 * @param tcpRequestRules a {@code backend}'s {@code tcp-request content} rules, run once the stream reaches it
 *                        (a {@code listen} runs its own as a frontend, once: they are not repeated here)
 * @param tcpInspectDelay its {@code tcp-request inspect-delay} in ms, -1 when not set
 */
public record BackendSpec(String name, int id, Location location, Mode mode, BalanceSpec balance,
                          List<ServerSpec> servers, TimeoutsSpec timeouts, ProxyOptionsSpec options,
                          List<AclSpec> acls, List<HttpRuleSpec> httpRequestRules,
                          List<HttpRuleSpec> httpResponseRules, int retries, HttpCheckSpec httpCheck,
                          List<LogTargetSpec> logs, CookieSpec cookie, String dynamicCookieKey,
                          List<PersistRuleSpec> persistRules, StickTableSpec stickTable,
                          List<StickRuleSpec> stickRules, List<TcpRuleSpec> tcpRequestRules,
                          long tcpInspectDelay) {
    public BackendSpec {
        servers = List.copyOf(servers);
        acls = List.copyOf(acls);
        httpRequestRules = List.copyOf(httpRequestRules);
        httpResponseRules = List.copyOf(httpResponseRules);
        logs = List.copyOf(logs);
        persistRules = persistRules == null ? List.of() : List.copyOf(persistRules);
        stickRules = stickRules == null ? List.of() : List.copyOf(stickRules);
        tcpRequestRules = tcpRequestRules == null ? List.of() : List.copyOf(tcpRequestRules);
    }

    /** A backend without {@code tcp-request} rules (kept for code written before they applied to backends). */
    public BackendSpec(String name, int id, Location location, Mode mode, BalanceSpec balance,
                       List<ServerSpec> servers, TimeoutsSpec timeouts, ProxyOptionsSpec options,
                       List<AclSpec> acls, List<HttpRuleSpec> httpRequestRules,
                       List<HttpRuleSpec> httpResponseRules, int retries, HttpCheckSpec httpCheck,
                       List<LogTargetSpec> logs, CookieSpec cookie, String dynamicCookieKey,
                       List<PersistRuleSpec> persistRules, StickTableSpec stickTable,
                       List<StickRuleSpec> stickRules) {
        this(name, id, location, mode, balance, servers, timeouts, options, acls, httpRequestRules,
                httpResponseRules, retries, httpCheck, logs, cookie, dynamicCookieKey, persistRules, stickTable,
                stickRules, List.of(), -1);
    }

    /** A backend without stick table nor stick rules (kept for code written before the Stick issue). */
    public BackendSpec(String name, int id, Location location, Mode mode, BalanceSpec balance,
                       List<ServerSpec> servers, TimeoutsSpec timeouts, ProxyOptionsSpec options,
                       List<AclSpec> acls, List<HttpRuleSpec> httpRequestRules,
                       List<HttpRuleSpec> httpResponseRules, int retries, HttpCheckSpec httpCheck,
                       List<LogTargetSpec> logs, CookieSpec cookie, String dynamicCookieKey,
                       List<PersistRuleSpec> persistRules) {
        this(name, id, location, mode, balance, servers, timeouts, options, acls, httpRequestRules,
                httpResponseRules, retries, httpCheck, logs, cookie, dynamicCookieKey, persistRules, null, List.of());
    }

    /** A backend without cookie persistence nor persist rules (kept for code written before the Cookie issue). */
    public BackendSpec(String name, int id, Location location, Mode mode, BalanceSpec balance,
                       List<ServerSpec> servers, TimeoutsSpec timeouts, ProxyOptionsSpec options,
                       List<AclSpec> acls, List<HttpRuleSpec> httpRequestRules,
                       List<HttpRuleSpec> httpResponseRules, int retries, HttpCheckSpec httpCheck,
                       List<LogTargetSpec> logs) {
        this(name, id, location, mode, balance, servers, timeouts, options, acls, httpRequestRules,
                httpResponseRules, retries, httpCheck, logs, null, null, List.of());
    }
}
