package io.berth.sample;

import io.berth.model.AclSpec;
import io.berth.model.ConditionSpec;
import io.berth.model.Location;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the sample expressions of a configuration. Pure: no I/O (except {@code -f} pattern files). One
 * instance per proxy (it knows that proxy's named ACLs); used on the configuration thread only, while what it
 * returns is immutable and shared by every event loop.
 *
 * <p>Named ACLs are compiled once, on first reference, and cached: several lines with the same name are ORed,
 * as in HAProxy. {@link AclSpec#words()} holds the words from the fetch on ({@code acl NAME} excluded). A
 * condition sees a named ACL only when it is declared above the condition's line, as HAProxy resolves names
 * while it reads the file (once seen, all the name's lines count, later ones too: they extend the same ACL).
 */
public final class SampleCompiler {
    private final List<AclSpec> acls;
    private final Map<String, List<AclSpec>> byName = new LinkedHashMap<>();
    private final Map<String, Condition> compiled = new HashMap<>();

    /** @param acls the named ACLs visible to the proxy's rules (frontend's or backend's own) */
    public SampleCompiler(List<AclSpec> acls) {
        this.acls = List.copyOf(acls);
        for (AclSpec a : this.acls) {
            byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
        }
    }

    /**
     * Compiles an {@code if|unless} condition; {@code spec == null} gives {@link Condition#ALWAYS}.
     *
     * @throws SampleException {@code no such ACL : 'x'.}, {@code missing closing '}' in condition.}, an anonymous
     *                         ACL's own error, or {@code error detected while parsing ACL 'x' : ...} for a
     *                         named ACL that does not compile
     */
    public Condition condition(ConditionSpec spec) throws SampleException {
        if (spec == null) {
            return Condition.ALWAYS;
        }
        Map<String, SampleException> failures = new HashMap<>();
        // a rule inherited from a named defaults section names that section's ACLs
        SampleCompiler scope = spec.acls() == null ? this : new SampleCompiler(spec.acls());
        Condition c = ConditionParser.parse(spec.words(), spec.unless(), name -> {
            if (!scope.declaredAbove(name, spec.location())) {
                return null;
            }
            try {
                return scope.named(name);
            } catch (SampleException e) {
                failures.put(name, e);
                return Condition.ALWAYS;
            }
        });
        if (!failures.isEmpty()) {
            throw failures.values().iterator().next();
        }
        return c;
    }

    /** Compiles a log-format string such as {@code %[srv_name]} or {@code server=%s}. */
    public LogFormat logFormat(String text) throws SampleException {
        return LogFormatParser.parse(text);
    }

    /** Compiles one fetch expression with converters, e.g. {@code req.cook(SRVID),lower}. */
    public SampleExpr expression(String text) throws SampleException {
        return typedExpression(text);
    }

    /**
     * Like {@link #expression} but keeps the typed value, for callers that need addresses and integers as such
     * (stick tables keyed by {@code src}).
     */
    public TypedExpr typedExpression(String text) throws SampleException {
        try {
            CompiledExpr e = ExprParser.parse(text, 0, false, null).expr();
            return new TypedExpr(e);
        } catch (ExprParser.ExprException e) {
            throw new SampleException(ExprParser.plainMessage(e));
        }
    }

    /**
     * Compiles every named ACL and lists those that fail, with the line that declared them, so the
     * configuration check can report them where HAProxy does (at the {@code acl} line) even if no rule uses
     * them. Empty when all compile.
     */
    public List<AclProblem> aclProblems() {
        List<AclProblem> out = new ArrayList<>();
        for (AclSpec a : acls) {
            try {
                AclParser.parse(a.name(), a.words());
            } catch (SampleException e) {
                out.add(new AclProblem(a, "error detected while parsing ACL '" + a.name() + "' : " + e.getMessage()));
            }
        }
        return out;
    }

    /** A named ACL line that does not compile, with HAProxy's message. */
    public record AclProblem(AclSpec acl, String message) {
    }

    /**
     * Whether an {@code acl name} line comes before {@code at} (the same section, so the same file; a location
     * elsewhere, or none, as in configurations built by code, does not order).
     */
    private boolean declaredAbove(String name, Location at) {
        List<AclSpec> lines = byName.get(name);
        if (lines == null) {
            return false;
        }
        for (AclSpec a : lines) {
            Location l = a.location();
            if (!l.file().equals(at.file()) || l.line() < at.line() || at.line() == 0 || l.line() == 0) {
                return true;
            }
        }
        return false;
    }

    /** The named ACL {@code name} (all its lines ORed), or null when the proxy has none by that name. */
    private Condition named(String name) throws SampleException {
        Condition c = compiled.get(name);
        if (c != null) {
            return c;
        }
        List<AclSpec> lines = byName.get(name);
        if (lines == null) {
            return null;
        }
        Acl[] parts = new Acl[lines.size()];
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i] = AclParser.parse(name, lines.get(i).words());
            } catch (SampleException e) {
                throw new SampleException("error detected while parsing ACL '" + name + "' : " + e.getMessage());
            }
        }
        c = parts.length == 1 ? parts[0] : ctx -> {
            for (Acl a : parts) {
                if (a.test(ctx)) {
                    return true;
                }
            }
            return false;
        };
        compiled.put(name, c);
        return c;
    }
}
