package io.berth.api;

import java.util.List;

/**
 * One runtime-API command: the words that select it ({@code show servers state}), the usage line as HAProxy's
 * {@code help} prints it (padded key, colon, description; null for none), the lowest level allowed to run it and
 * its handler. Immutable; listed once in {@link ApiCommands} so {@code help} and the suggestions come from it.
 */
public record CliCommand(List<String> words, String usage, CliLevel level, CliHandler handler) {
    public CliCommand {
        words = List.copyOf(words);
    }

    /** A command of the given words ({@code "show servers state"}) and usage key/description. */
    public static CliCommand of(String words, String usageKey, String description, CliLevel level, CliHandler h) {
        return new CliCommand(List.of(words.split(" ")), usageLine(usageKey, description), level, h);
    }

    /** HAProxy's help layout: the key left-aligned on 40 columns, then {@code ": "} and the description. */
    static String usageLine(String key, String description) {
        StringBuilder sb = new StringBuilder(key);
        while (sb.length() < 40) {
            sb.append(' ');
        }
        return sb.append(": ").append(description).toString();
    }

    /** True when the command's words are a prefix of {@code args}. */
    boolean matches(List<String> args) {
        if (args.size() < words.size()) {
            return false;
        }
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).equals(args.get(i))) {
                return false;
            }
        }
        return true;
    }
}
