package io.berth.model;

import java.util.List;

/**
 * One {@code http-request} or {@code http-response} rule: the action word ({@code set-header}, {@code add-header},
 * {@code del-header}, {@code deny}, {@code return}, ...), its arguments (log-format strings kept raw) and an
 * optional condition (null when unconditional).
 */
public record HttpRuleSpec(Location location, String action, List<String> args, ConditionSpec condition) {
    public HttpRuleSpec {
        args = List.copyOf(args);
    }

    /** This rule as a proxy inherits it from a named defaults section whose ACLs are {@code scope}. */
    public HttpRuleSpec inheritedWith(List<AclSpec> scope) {
        return new HttpRuleSpec(location, action, args, condition == null ? null : condition.in(scope));
    }
}
