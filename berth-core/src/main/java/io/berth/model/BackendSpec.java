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
 */
public record BackendSpec(String name, int id, Location location, Mode mode, BalanceSpec balance,
                          List<ServerSpec> servers, TimeoutsSpec timeouts, ProxyOptionsSpec options,
                          List<AclSpec> acls, List<HttpRuleSpec> httpRequestRules,
                          List<HttpRuleSpec> httpResponseRules, int retries, HttpCheckSpec httpCheck,
                          List<LogTargetSpec> logs) {
    public BackendSpec {
        servers = List.copyOf(servers);
        acls = List.copyOf(acls);
        httpRequestRules = List.copyOf(httpRequestRules);
        httpResponseRules = List.copyOf(httpResponseRules);
        logs = List.copyOf(logs);
    }
}
