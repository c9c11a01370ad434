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

    private RuntimeBuilder() {
    }

    /**
     * @param previous the runtime being replaced on reload, or null (state carried over by name arrives with
     *                 the reload work; today only the structure is rebuilt)
     * @throws RuntimeBuildException listing every problem found
     */
    public static Runtime build(Config config, Runtime previous) throws RuntimeBuildException {
        return new RuntimeBuilder().doBuild(config);
    }

    private Runtime doBuild(Config config) throws RuntimeBuildException {
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
            throw new RuntimeBuildException(problems);
        }
        return new Runtime(config, frontends, backendList);
    }

    private RuntimeBackend backend(BackendSpec spec) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (ServerSpec s : spec.servers()) {
            addresses.add(resolve(spec, s));
        }
        ServerGroup group = new ServerGroup(spec.name(), spec.servers(), addresses);
        SampleCompiler compiler = new SampleCompiler(spec.acls());
        List<HttpRule> req = rules(compiler, spec.httpRequestRules());
        List<HttpRule> res = rules(compiler, spec.httpResponseRules());
        try {
            return new RuntimeBackend(spec, group, Balancers.create(spec.balance(), spec.options(), group), req, res,
                    AccessLogs.forProxy(spec.name(), spec.logs()));
        } catch (IllegalArgumentException e) {
            problems.add(Diagnostic.alert(spec.location(), "Proxy '" + spec.name() + "': " + e.getMessage()));
            return null;
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
        SampleCompiler compiler = new SampleCompiler(spec.acls());
        List<RuntimeFrontend.Route> routes = new ArrayList<>();
        for (UseBackendSpec u : spec.useBackends()) {
            RuntimeBackend target = backends.get(u.backend());
            if (target == null) {
                problems.add(Diagnostic.alert(u.location(), "Proxy '" + spec.name()
                        + "': unable to find required use_backend: '" + u.backend() + "'."));
                continue;
            }
            Condition c = condition(compiler, u.condition() == null ? null : u.condition().location(), u);
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
        List<HttpRule> req = rules(compiler, spec.httpRequestRules());
        List<HttpRule> res = rules(compiler, spec.httpResponseRules());
        return new RuntimeFrontend(spec, routes, def, req, res, AccessLogs.forProxy(spec.name(), spec.logs()));
    }

    private Condition condition(SampleCompiler compiler, io.berth.model.Location where, UseBackendSpec u) {
        try {
            return compiler.condition(u.condition());
        } catch (SampleException e) {
            problems.add(Diagnostic.alert(where != null ? where : u.location(), e.getMessage()));
            return null;
        }
    }

    private List<HttpRule> rules(SampleCompiler compiler, List<HttpRuleSpec> specs) {
        List<HttpRule> out = new ArrayList<>();
        for (HttpRuleSpec spec : specs) {
            try {
                out.add(HttpRules.compile(compiler, spec));
            } catch (SampleException e) {
                problems.add(Diagnostic.alert(spec.location(), e.getMessage()));
            }
        }
        return out;
    }
}
