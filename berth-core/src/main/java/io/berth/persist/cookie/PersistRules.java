package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.PersistRuleSpec;
import io.berth.sample.Condition;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleContext;
import io.berth.sample.SampleException;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * Compiles the backend's rules with its ACLs.
     *
     * @throws IllegalArgumentException worded as HAProxy: {@code error detected while parsing a 'force-persist'
     *                                  rule : ...}
     */
    public static PersistRules compile(BackendSpec spec) {
        List<PersistRuleSpec> rules = spec.persistRules();
        if (rules.isEmpty()) {
            return NONE;
        }
        SampleCompiler compiler = new SampleCompiler(spec.acls());
        List<Condition> conditions = new ArrayList<>();
        boolean[] force = new boolean[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            PersistRuleSpec r = rules.get(i);
            try {
                conditions.add(compiler.condition(r.condition()));
            } catch (SampleException e) {
                throw new IllegalArgumentException("error detected while parsing a '"
                        + (r.force() ? "force-persist" : "ignore-persist") + "' rule : " + e.getMessage() + ".", e);
            }
            force[i] = r.force();
        }
        return new PersistRules(conditions.toArray(new Condition[0]), force);
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
