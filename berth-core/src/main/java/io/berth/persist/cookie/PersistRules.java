package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.Location;
import io.berth.model.PersistRuleSpec;
import io.berth.sample.Condition;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleContext;
import io.berth.sample.SampleException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A backend's compiled {@code force-persist} / {@code ignore-persist} rules. As HAProxy's
 * {@code process_switching_rules}, the first rule whose condition holds decides and the others are not evaluated.
 * They affect cookie persistence here and stick-table matching in {@code persist/stick}. Immutable; evaluated on
 * the transaction's event loop once the backend is known.
 */
public final class PersistRules {
    /** No rule: neither forced nor ignored. */
    public static final PersistRules NONE = new PersistRules(new Condition[0], new boolean[0]);

    /** What the rules decided for one request. */
    public enum Verdict { NONE, FORCE, IGNORE }

    private final Condition[] conditions;
    private final boolean[] force;

    private PersistRules(Condition[] conditions, boolean[] force) {
        this.conditions = conditions;
        this.force = force;
    }

    /** A rule whose condition does not compile: where, and HAProxy's words for it. */
    public record Problem(Location location, String message) {
    }

    /**
     * Compiles the backend's rules with its ACLs; each rule that does not compile is reported to {@code problems}
     * (worded as HAProxy: {@code error detected while parsing a 'force-persist' rule : ...}, at the rule's line)
     * and left out.
     */
    public static PersistRules compile(BackendSpec spec, Consumer<Problem> problems) {
        List<PersistRuleSpec> rules = spec.persistRules();
        if (rules.isEmpty()) {
            return NONE;
        }
        SampleCompiler compiler = new SampleCompiler(spec.acls());
        List<Condition> conditions = new ArrayList<>();
        boolean[] force = new boolean[rules.size()];
        for (PersistRuleSpec r : rules) {
            try {
                conditions.add(compiler.condition(r.condition()));
                force[conditions.size() - 1] = r.force();
            } catch (SampleException e) {
                // the sample engine's messages already end with HAProxy's final dot
                String m = e.getMessage();
                problems.accept(new Problem(r.location(), "error detected while parsing a '"
                        + (r.force() ? "force-persist" : "ignore-persist") + "' rule : " + m
                        + (m.endsWith(".") ? "" : ".")));
            }
        }
        return new PersistRules(conditions.toArray(new Condition[0]),
                java.util.Arrays.copyOf(force, conditions.size()));
    }

    /**
     * {@link #compile(BackendSpec, Consumer)} for callers without a diagnostics list.
     *
     * @throws IllegalArgumentException with the first problem's message
     */
    public static PersistRules compile(BackendSpec spec) {
        return compile(spec, p -> {
            throw new IllegalArgumentException(p.message());
        });
    }

    public Verdict evaluate(SampleContext ctx) {
        for (int i = 0; i < conditions.length; i++) {
            if (conditions[i].test(ctx)) {
                return force[i] ? Verdict.FORCE : Verdict.IGNORE;
            }
        }
        return Verdict.NONE;
    }

    public boolean isEmpty() {
        return conditions.length == 0;
    }
}
