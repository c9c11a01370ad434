package io.berth.model;

/**
 * A backend's {@code force-persist if|unless COND} ({@code force = true}) or {@code ignore-persist if|unless COND}
 * line. The first rule whose condition holds decides, in declaration order, as in HAProxy's
 * {@code process_switching_rules}.
 */
public record PersistRuleSpec(Location location, boolean force, ConditionSpec condition) {
}
