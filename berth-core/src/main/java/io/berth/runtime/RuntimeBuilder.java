package io.berth.runtime;

import io.berth.balance.Balancers;
import io.berth.config.Diagnostic;
import io.berth.log.AccessLogs;
import io.berth.model.BackendSpec;
import io.berth.model.Config;
import io.berth.model.FrontendSpec;
import io.berth.model.HttpRuleSpec;
import io.berth.model.ServerSpec;
import io.berth.model.UseBackendSpec;
import io.berth.sample.Condition;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleException;
import io.berth.server.ServerGroup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Config} into a {@link Runtime}: resolves server addresses, compiles conditions and
 * log-format strings, creates balancers and logs. Does no network I/O besides name resolution, binds nothing,
 * so {@code berth -c} runs it too. Everything computable from the config is computed here, not per request.
 */
public final class RuntimeBuilder {
    private final List<Diagnostic> problems = new ArrayList<>();
    /** Names of {@code listen} sections (a frontend and a backend of one name): HAProxy calls them "listen". */
    private final java.util.Set<String> listens = new java.util.HashSet<>();
    /** Built first by {@link #doBuild}; the stick actions of http-request rules are compiled against it. */
    private io.berth.persist.stick.StickTables stickTables;

    private RuntimeBuilder() {
    }

    /**
     * @param previous the runtime being replaced on reload, or null; server states are carried over by name
     *                 ({@link ServerStateCarry})
     * @throws RuntimeBuildException listing every problem found
     */
    public static Runtime build(Config config, Runtime previous) throws RuntimeBuildException {
        Runtime next = new RuntimeBuilder().doBuild(config, previous);
        if (previous != null) {
            ServerStateCarry.carry(previous, next);
        }
        return next;
    }

    private Runtime doBuild(Config config, Runtime previous) throws RuntimeBuildException {
        for (FrontendSpec f : config.frontends()) {
            if (config.backend(f.name()).isPresent()) {
                listens.add(f.name());
            }
        }
        // first, so that track-sc rules find their tables; a table of the same name and definition keeps its entries
        stickTables = io.berth.persist.stick.StickTables.build(config, previous == null ? null
                : previous.stickTables(), (at, message) -> problems.add(Diagnostic.alert(at, message)));
        Map<String, RuntimeBackend> backends = new HashMap<>();
        List<RuntimeBackend> backendList = new ArrayList<>();
        for (BackendSpec b : config.backends()) {
            RuntimeBackend rb = backend(b);
            if (rb != null) {
                backends.put(b.name(), rb);
                backendList.add(rb);
            }
        }
        List<RuntimeFrontend> frontends = new ArrayList<>();
        for (FrontendSpec f : config.frontends()) {
            RuntimeFrontend rf = frontend(f, backends);
            if (rf != null) {
                frontends.add(rf);
            }
        }
        if (!problems.isEmpty()) {
            throw new RuntimeBuildException(inFileOrder(problems));
        }
        return new Runtime(config, frontends, backendList, stickTables);
    }

    private RuntimeBackend backend(BackendSpec spec) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (ServerSpec s : spec.servers()) {
            addresses.add(resolve(spec, s));
        }
        for (ServerSpec s : spec.servers()) {
            serverTls(spec, s);
        }
        ServerGroup group = new ServerGroup(spec.name(), spec.servers(), addresses);
        SampleCompiler compiler = compiler(spec.acls(), !listens.contains(spec.name()));
        String type = proxyType(spec.name(), "backend");
        List<HttpRule> req = rules(compiler, type, spec.name(), "http-request", spec.httpRequestRules());
        List<HttpRule> res = rules(compiler, type, spec.name(), "http-response", spec.httpResponseRules());
        try {
            io.berth.persist.cookie.PersistRules persist = io.berth.persist.cookie.PersistRules.compile(spec,
                    p -> problems.add(Diagnostic.alert(p.location(), p.message())));
            TcpRules tcp = TcpRules.compile(spec, compiler, stickTables, type,
                    (at, message) -> problems.add(Diagnostic.alert(at, message)));
            return new RuntimeBackend(spec, group, Balancers.create(spec.balance(), spec.options(), group), req, res,
                    AccessLogs.forProxy(spec.name(), spec.logs()),
                    io.berth.persist.cookie.CookiePersistence.create(spec, group, persist), persist, tcp);
        } catch (IllegalArgumentException e) {
            problems.add(Diagnostic.alert(spec.location(), "Proxy '" + spec.name() + "': " + e.getMessage()));
            return null;
        }
    }

    /** A proxy's compiler; its broken named ACLs are reported once, at their own lines, as HAProxy does. */
    private SampleCompiler compiler(List<io.berth.model.AclSpec> acls, boolean report) {
        SampleCompiler compiler = new SampleCompiler(acls);
        if (report) {
            for (SampleCompiler.AclProblem p : compiler.aclProblems()) {
                problems.add(Diagnostic.alert(p.acl().location(), p.message()));
            }
        }
        return compiler;
    }

    private String proxyType(String name, String otherwise) {
        return listens.contains(name) ? "listen" : otherwise;
    }

    /** Builds a TLS server's context and compiles its {@code sni} now, so -c and start-up report their errors. */
    private void serverTls(BackendSpec backend, ServerSpec s) {
        if (s.tls() == null || !(s.tls().ssl() || s.tls().checkSsl())) {
            return;
        }
        try {
            io.berth.ssl.ServerTls.of(s.tls());
        } catch (IllegalStateException e) {
            problems.add(Diagnostic.alert(s.location(), "'server " + backend.name() + "/" + s.name() + "' : "
                    + e.getMessage()));
        }
    }

    private InetSocketAddress resolve(BackendSpec backend, ServerSpec s) {
        try {
            return new InetSocketAddress(InetAddress.getByName(s.host()), s.port());
        } catch (UnknownHostException e) {
            problems.add(Diagnostic.alert(s.location(), "'server " + backend.name() + "/" + s.name()
                    + "' : could not resolve address '" + s.host() + "'."));
            return InetSocketAddress.createUnresolved(s.host(), s.port());
        }
    }

    private RuntimeFrontend frontend(FrontendSpec spec, Map<String, RuntimeBackend> backends) {
        SampleCompiler compiler = compiler(spec.acls(), true);
        List<RuntimeFrontend.Route> routes = new ArrayList<>();
        for (UseBackendSpec u : spec.useBackends()) {
            RuntimeBackend target = backends.get(u.backend());
            if (target == null) {
                problems.add(Diagnostic.alert(u.location(), "Proxy '" + spec.name()
                        + "': unable to find required use_backend: '" + u.backend() + "'."));
                continue;
            }
            Condition c = condition(compiler, u);
            if (c != null) {
                routes.add(new RuntimeFrontend.Route(c, target));
            }
        }
        RuntimeBackend def = null;
        if (spec.defaultBackend() != null) {
            def = backends.get(spec.defaultBackend());
            if (def == null) {
                problems.add(Diagnostic.alert(null, "Proxy '" + spec.name()
                        + "': unable to find required default_backend: '" + spec.defaultBackend() + "'."));
            }
        }
        String type = proxyType(spec.name(), "frontend");
        List<HttpRule> req = rules(compiler, type, spec.name(), "http-request", spec.httpRequestRules());
        List<HttpRule> res = rules(compiler, type, spec.name(), "http-response", spec.httpResponseRules());
        try {
            TcpRules tcp = TcpRules.compile(spec, compiler, stickTables, type,
                    (at, message) -> problems.add(Diagnostic.alert(at, message)));
            return new RuntimeFrontend(spec, routes, def, req, res, AccessLogs.forProxy(spec.name(), spec.logs()),
                    tcp);
        } catch (IllegalArgumentException e) {
            problems.add(Diagnostic.alert(spec.location(), "Proxy '" + spec.name() + "': " + e.getMessage()));
            return null;
        }
    }

    private Condition condition(SampleCompiler compiler, UseBackendSpec u) {
        try {
            return compiler.condition(u.condition());
        } catch (SampleException e) {
            problems.add(new Diagnostic(Diagnostic.Severity.ALERT_READING, u.location(),
                    "error detected while parsing switching rule : " + e.getMessage()));
            return null;
        }
    }

    /**
     * Compiles rules; errors read {@code error detected in frontend 'fe' while parsing 'http-request X' rule : ...},
     * or for the condition {@code error detected while parsing an 'http-request X' condition : ...}, as HAProxy's.
     */
    private List<HttpRule> rules(SampleCompiler compiler, String proxyType, String proxyName, String keyword,
                                 List<HttpRuleSpec> specs) {
        List<HttpRule> out = new ArrayList<>();
        for (HttpRuleSpec spec : specs) {
            try {
                compiler.condition(spec.condition());
            } catch (SampleException e) {
                // HAProxy stops reading at an http rule it cannot parse (ERR_ABORT)
                problems.add(new Diagnostic(Diagnostic.Severity.ALERT_ABORT, spec.location(),
                        "error detected while parsing an '" + keyword + " " + spec.action() + "' condition : "
                                + e.getMessage()));
                continue;
            }
            try {
                if (io.berth.persist.stick.StickAction.handles(spec.action())) {
                    out.add(stickRule(compiler, proxyName, spec));
                } else {
                    out.add(HttpRules.compile(compiler, spec, keyword.equals("http-response")));
                }
            } catch (IllegalArgumentException e) {
                problems.add(Diagnostic.alert(spec.location(), "Proxy '" + proxyName + "': " + e.getMessage() + "."));
            } catch (SampleException e) {
                problems.add(new Diagnostic(Diagnostic.Severity.ALERT_ABORT, spec.location(), "error detected in "
                        + proxyType + " '" + proxyName + "' while parsing '" + keyword + " " + spec.action()
                        + "' rule : " + e.getMessage()));
            }
        }
        return out;
    }

    /** {@code track-sc*} / {@code sc-inc-gpc*}: compiled by persist/stick against this runtime's tables. */
    private HttpRule stickRule(SampleCompiler compiler, String proxyName, HttpRuleSpec spec) throws SampleException {
        io.berth.persist.stick.StickAction a = io.berth.persist.stick.StickAction.compile(spec.action(), spec.args(),
                compiler, stickTables, proxyName);
        return new HttpRule(spec, HttpRule.Action.STICK, null, null, 0, null, List.of(),
                compiler.condition(spec.condition()), a, null);
    }

    /** Diagnostics of one file by line, files in the order first seen, those without a line last (HAProxy's order). */
    private static List<Diagnostic> inFileOrder(List<Diagnostic> list) {
        List<String> files = new ArrayList<>();
        for (Diagnostic d : list) {
            String f = d.location() == null ? null : d.location().file();
            if (f != null && !files.contains(f)) {
                files.add(f);
            }
        }
        List<Diagnostic> sorted = new ArrayList<>(list);
        sorted.sort(java.util.Comparator.comparingInt((Diagnostic d) -> d.location() == null || d.location().line() == 0
                        ? Integer.MAX_VALUE : files.indexOf(d.location().file()))
                .thenComparingInt(d -> d.location() == null ? 0 : d.location().line()));
        return sorted;
    }
}
