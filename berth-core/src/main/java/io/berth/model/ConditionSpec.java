package io.berth.model;

import java.util.List;

/**
 * The {@code if|unless ...} tail of a rule, kept as words (ACL names, {@code !}, {@code ||}, {@code or},
 * and anonymous ACLs between braces {@code { FETCH ... }}); compiled by the sample engine.
 *
 * @param acls the ACLs its names refer to when they are not the proxy's: a rule a proxy inherits from a named
 *             defaults section sees that section's ACLs, as HAProxy parses it there; null for the proxy's own
 */
public record ConditionSpec(Location location, boolean unless, List<String> words, List<AclSpec> acls) {
    public ConditionSpec {
        words = List.copyOf(words);
        acls = acls == null ? null : List.copyOf(acls);
    }

    /** A condition of the proxy's own rules. */
    public ConditionSpec(Location location, boolean unless, List<String> words) {
        this(location, unless, words, null);
    }

    /** This condition as written in a defaults section whose ACLs are {@code scope}. */
    public ConditionSpec in(List<AclSpec> scope) {
        return new ConditionSpec(location, unless, words, scope);
    }
}
