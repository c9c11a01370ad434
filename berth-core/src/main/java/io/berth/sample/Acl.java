package io.berth.sample;

import java.util.List;

/**
 * One compiled ACL line (or anonymous ACL): an expression and the patterns it is matched against. True when
 * any value the expression yields matches any pattern, as HAProxy's {@code acl_exec_cond} for one expression;
 * false when the sample does not exist. Immutable, thread-safe.
 */
record Acl(String name, CompiledExpr expr, MatchMethod method, Matcher matcher) implements Condition {
    @Override
    public boolean test(SampleContext ctx) {
        List<Sample> values = expr.samples(ctx);
        for (Sample s : values) {
            if (matcher.matches(s)) {
                return true;
            }
        }
        return false;
    }
}
