package io.berth.model;

import java.util.List;

/**
 * One {@code tcp-request connection|session|content} rule of a proxy: the phase, the action word
 * ({@code accept}, {@code reject}, {@code track-sc0..2}, {@code sc-inc-gpc0(N)}, {@code sc-inc-gpc1(N)}), its
 * arguments (for track-sc: the key expression, then optionally {@code table NAME}), the optional
 * {@code if|unless} condition (null when unconditional), and {@code defaults}: the named defaults section it was
 * declared in when the proxy inherited it (null for the proxy's own rules). Compiled by the runtime
 * (runtime/TcpRules).
 */
public record TcpRuleSpec(Location location, Phase phase, String action, List<String> args,
                          ConditionSpec condition, String defaults) {
    /** When the rule runs, HAProxy's three rule sets ({@code l4_rules}, {@code l5_rules}, {@code inspect_rules}). */
    public enum Phase {
        /** At accept time, before any byte is read. */
        CONNECTION,
        /** Once the session exists (after the TLS handshake in HAProxy). */
        SESSION,
        /** For each stream: once per TCP connection, once per HTTP request. */
        CONTENT;

        /** The word of the configuration: {@code connection}, {@code session}, {@code content}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public TcpRuleSpec {
        args = List.copyOf(args);
    }

    /** A proxy's own rule. */
    public TcpRuleSpec(Location location, Phase phase, String action, List<String> args, ConditionSpec condition) {
        this(location, phase, action, args, condition, null);
    }

    /**
     * This rule as a proxy inherits it from the named defaults section {@code name}, whose ACLs ({@code scope})
     * its condition names.
     */
    public TcpRuleSpec inheritedFrom(String name, List<AclSpec> scope) {
        return new TcpRuleSpec(location, phase, action, args, condition == null ? null : condition.in(scope), name);
    }
}
