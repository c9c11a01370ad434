package io.berth.config;

import io.berth.model.BackendSpec;
import io.berth.model.Config;
import io.berth.model.FrontendSpec;
import io.berth.model.Location;
import io.berth.model.LogTargetSpec;
import io.berth.model.PeersSpec;
import io.berth.model.ServerSpec;
import io.berth.model.UseBackendSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The post-parse step: assigns HAProxy's proxy ids, checks that every name refers to something
 * (default_backend, use_backend, localpeer), warns as {@code haproxy -c} does (missing timeouts, frontend
 * without bind) and freezes the drafts into one {@link Config}. Post-parse messages carry no file:line, as in
 * HAProxy. Parser thread only.
 */
final class ConfigResolver {
    private ConfigResolver() {
    }

    static Config resolve(ConfigDraft draft, Consumer<Diagnostic> report) {
        int[] ids = assignIds(draft);
        List<FrontendSpec> frontends = new ArrayList<>();
        List<BackendSpec> backends = new ArrayList<>();
        List<LogTargetSpec> globalLogs = draft.global.logs;
        for (int i = 0; i < draft.proxies.size(); i++) {
            ProxyDraft p = draft.proxies.get(i);
            List<LogTargetSpec> logs = resolveLogs(p.logs, globalLogs);
            if (p.section.hasFrontend() && (p.section == Section.FRONTEND || !p.binds.isEmpty())) {
                if (p.binds.isEmpty()) {
                    report.accept(Diagnostic.warning(Location.NONE, p.describe() + " has no 'bind' directive."
                            + " Please declare it as a backend if this was intended."));
                }
                String defaultBackend = p.section == Section.LISTEN ? p.name : p.defaultBackend;
                if (p.section == Section.FRONTEND && defaultBackend != null && !isBackend(draft, defaultBackend)) {
                    report.accept(Diagnostic.alert(Location.NONE, "Proxy '" + p.name
                            + "': unable to find required default_backend: '" + defaultBackend + "'."));
                }
                for (UseBackendSpec use : p.useBackends) {
                    if (!use.backend().contains("%[") && !isBackend(draft, use.backend())) {
                        report.accept(Diagnostic.alert(Location.NONE, "Proxy '" + p.name
                                + "': unable to find required use_backend: '" + use.backend() + "'."));
                    }
                }
                frontends.add(new FrontendSpec(p.name, ids[i], p.location, p.mode, p.binds, defaultBackend,
                        p.useBackends, p.acls, p.timeouts(), p.maxconn, p.options(), p.httpRequestRules,
                        p.httpResponseRules, logs, p.section == Section.FRONTEND ? p.stickTable : null,
                        p.tcpRequestRules, p.tcpInspectDelay, p.captures, cookieCapture(p, report)));
            }
            if (p.section.hasBackend()) {
                List<ServerSpec> servers = new ArrayList<>();
                for (int s = 0; s < p.servers.size(); s++) {
                    servers.add(p.servers.get(s).freeze(s + 1));
                }
                backends.add(new BackendSpec(p.name, ids[i], p.location, p.mode, p.balance(), servers,
                        p.timeouts(), p.options(), p.acls, p.httpRequestRules, p.httpResponseRules, p.retries,
                        p.httpCheck == null ? null : p.httpCheck.freeze(), logs, p.cookie, p.dynamicCookieKey,
                        p.persistRules, p.stickTable, p.stickRules,
                        p.section == Section.BACKEND ? p.tcpRequestRules.stream()
                                .filter(r -> r.phase() == io.berth.model.TcpRuleSpec.Phase.CONTENT).toList()
                                : List.of(),
                        p.section == Section.BACKEND ? p.tcpInspectDelay : -1));
                checkStickRules(draft, p, report);
                if (p.cookie != null && p.mode != io.berth.model.Mode.HTTP) {
                    // proxy_cfg_ensure_no_http(): the cookie line is kept but has no effect outside HTTP.
                    String kind = p.section == Section.BACKEND ? "backend" : "listen";
                    report.accept(Diagnostic.warning(Location.NONE, "cookie will be ignored for " + kind + " '"
                            + p.name + "' (needs 'mode http')."));
                }
            }
            warnMissingTimeouts(p, report);
        }
        List<PeersSpec> peers = new ArrayList<>();
        draft.peers.forEach(d -> peers.add(d.freeze()));
        return new Config(draft.global.freeze(), frontends, backends, peers);
    }

    /**
     * HAProxy numbers proxies in declaration order from 1; a proxy with {@code id N} keeps N but still consumes
     * its turn (observed: fe=1, be1=2, li=3, be2 "id 10", be3=5), and the CLI's internal proxy created by a
     * {@code stats socket} takes the first number (then fe=2).
     */
    private static int[] assignIds(ConfigDraft draft) {
        Set<Integer> forced = new HashSet<>();
        draft.proxies.forEach(p -> {
            if (p.forcedId > 0) {
                forced.add(p.forcedId);
            }
        });
        int next = draft.global.statsSockets.isEmpty() ? 1 : 2;
        int[] ids = new int[draft.proxies.size()];
        for (int i = 0; i < ids.length; i++) {
            ProxyDraft p = draft.proxies.get(i);
            while (forced.contains(next) && p.forcedId == 0) {
                next++;
            }
            ids[i] = p.forcedId > 0 ? p.forcedId : next;
            next++;
        }
        return ids;
    }

    /** HAProxy's post-parse check of stick rules: the table each rule names must exist (no file:line). */
    /** The frontend's {@code capture cookie}, cut to 63 characters with HAProxy's warning. */
    private static io.berth.model.CookieCaptureSpec cookieCapture(ProxyDraft p, Consumer<Diagnostic> report) {
        io.berth.model.CookieCaptureSpec c = p.cookieCapture;
        if (c != null && c.length() > io.berth.model.CookieCaptureSpec.MAX_LENGTH) {
            report.accept(Diagnostic.warning(Location.NONE, "truncating capture length to "
                    + io.berth.model.CookieCaptureSpec.MAX_LENGTH + " bytes for " + p.describe() + "."));
            c = new io.berth.model.CookieCaptureSpec(c.prefix(), io.berth.model.CookieCaptureSpec.MAX_LENGTH);
        }
        return c;
    }

    private static void checkStickRules(ConfigDraft draft, ProxyDraft p, Consumer<Diagnostic> report) {
        for (io.berth.model.StickRuleSpec rule : p.stickRules) {
            String table = rule.tableName(p.name);
            boolean found = draft.proxies.stream().anyMatch(x -> x.name != null && x.name.equals(table)
                    && x.stickTable != null)
                    || draft.peers.stream().anyMatch(s -> s.tables.stream().anyMatch(t -> t.name().equals(table)));
            if (!found) {
                report.accept(Diagnostic.alert(Location.NONE, "Proxy '" + p.name + "': unable to find stick-table '"
                        + table + "'."));
            }
        }
    }

    private static boolean isBackend(ConfigDraft draft, String name) {
        ProxyDraft p = draft.proxy(name);
        if (p != null && p.section.hasBackend()) {
            return true;
        }
        return draft.proxies.stream().anyMatch(x -> x.name.equals(name) && x.section.hasBackend());
    }

    private static List<LogTargetSpec> resolveLogs(List<LogTargetSpec> logs, List<LogTargetSpec> globalLogs) {
        List<LogTargetSpec> out = new ArrayList<>();
        for (LogTargetSpec log : logs) {
            if (log.kind() == LogTargetSpec.Kind.GLOBAL) {
                out.addAll(globalLogs);
            } else {
                out.add(log);
            }
        }
        return out;
    }

    private static void warnMissingTimeouts(ProxyDraft p, Consumer<Diagnostic> report) {
        List<String> missing = new ArrayList<>();
        if (p.section.hasFrontend() && p.timeoutClient <= 0) {
            missing.add("'client'");
        }
        if (p.section.hasBackend() && p.timeoutConnect <= 0) {
            missing.add("'connect'");
        }
        if (p.section.hasBackend() && p.timeoutServer <= 0) {
            missing.add("'server'");
        }
        if (missing.isEmpty()) {
            return;
        }
        String list = missing.size() == 1 ? missing.get(0)
                : String.join(", ", missing.subList(0, missing.size() - 1)) + ", " + missing.get(missing.size() - 1);
        String kind = p.section == Section.FRONTEND ? "frontend" : p.section == Section.BACKEND ? "backend" : "proxy";
        report.accept(Diagnostic.warning(Location.NONE, "missing timeouts for " + kind + " '" + p.name + "'.\n"
                + "   | While not properly invalid, you will certainly encounter various problems\n"
                + "   | with such a configuration. To fix this, please ensure that all following\n"
                + "   | timeouts are set to a non-zero value: " + list + "."));
    }
}
