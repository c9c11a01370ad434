package io.berth.config;

import java.util.List;

/**
 * One argument of a {@code server} / {@code default-server} line ({@code weight 3}, {@code check},
 * {@code cookie c1}), declared once by the subsystem that owns it. {@code values} is how many words follow the
 * name. Immutable; read by the parser thread.
 */
public record ServerArgument(String name, int values, String usage, boolean supported, Handler handler) {

    /** Applies the argument to a server draft; throws {@link ConfigException} with HAProxy's message. */
    @FunctionalInterface
    public interface Handler {
        void apply(ServerDraft server, List<String> values, KeywordContext ctx);
    }

    public static ServerArgument of(String name, int values, String usage, Handler handler) {
        return new ServerArgument(name, values, usage, true, handler);
    }

    /** A real HAProxy server argument Berth does not implement yet. */
    public static ServerArgument notYet(String name, int values) {
        return new ServerArgument(name, values, name + (values > 0 ? " <value>" : "") + " (not yet supported by Berth)",
                false, (s, v, ctx) -> {
                    throw new ConfigException("'" + name + "' is not yet supported by Berth.");
                });
    }
}
