package io.berth.model;

import java.util.List;

/**
 * {@code acl NAME FETCH [-i] [-m METHOD] [--] PATTERN...}: kept as words, compiled by the sample engine.
 * Several lines with the same name are ORed, as in HAProxy.
 */
public record AclSpec(Location location, String name, List<String> words) {
    public AclSpec {
        words = List.copyOf(words);
    }
}
