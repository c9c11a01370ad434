package io.berth.config;

import io.berth.model.ConditionSpec;
import io.berth.model.Location;

import java.util.List;

/**
 * Splits the {@code if|unless COND} tail off a rule's words. The condition is kept as words for the sample
 * engine; only its presence and shape are checked here. Stateless.
 */
public final class Conditions {
    private Conditions() {
    }

    /** Index of the first {@code if}/{@code unless} word at or after {@code from}, or -1. */
    public static int tailIndex(List<String> words, int from) {
        for (int i = from; i < words.size(); i++) {
            if (words.get(i).equals("if") || words.get(i).equals("unless")) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The condition starting at {@code at} (the {@code if}/{@code unless} word), or null when {@code at} is -1.
     * Throws {@link ConfigException} when the condition is empty, as HAProxy's
     * {@code 'if' / 'unless' expects a condition}.
     */
    public static ConditionSpec condition(List<String> words, int at, Location location, String keyword) {
        if (at < 0) {
            return null;
        }
        List<String> rest = words.subList(at + 1, words.size());
        if (rest.isEmpty()) {
            throw new ConfigException("error detected while parsing '" + keyword + "' condition : no condition"
                    + " after '" + words.get(at) + "'.");
        }
        return new ConditionSpec(location, words.get(at).equals("unless"), rest);
    }
}
