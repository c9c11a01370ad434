package io.berth.model;

import java.util.List;

/**
 * The {@code if|unless ...} tail of a rule, kept as words (ACL names, {@code !}, {@code ||}, {@code or},
 * and anonymous ACLs between braces {@code { FETCH ... }}); compiled by the sample engine.
 */
public record ConditionSpec(Location location, boolean unless, List<String> words) {
    public ConditionSpec {
        words = List.copyOf(words);
    }
}
