package io.berth.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One configuration keyword, declared once by the subsystem that owns it: its name (one or two words, e.g.
 * {@code server}, {@code timeout connect}, {@code option httplog}, {@code stats socket}), the sections where it
 * is allowed, the usage line shown by {@code --list-keywords}, how far Berth supports it and the handler that
 * writes it into the drafts. Immutable; built at start-up, read by the parser thread.
 */
public record Keyword(String name, Set<Section> sections, String usage, Support support, Handler handler) {

    /** How Berth treats a keyword HAProxy knows. */
    public enum Support {
        /** Parsed into the model. */
        SUPPORTED,
        /** Accepted with a WARNING and no effect (process-level settings that make no sense for Berth). */
        IGNORED,
        /** A real HAProxy keyword Berth does not implement yet: an ALERT naming it. */
        NOT_YET,
        /** Catches an unknown second word of a family ({@code option X}, {@code timeout X}); not listed. */
        FAMILY
    }

    /** Writes one line into the drafts; throws {@link ConfigException} to reject it. */
    @FunctionalInterface
    public interface Handler {
        void handle(KeywordContext ctx);
    }

    public Keyword {
        sections = Set.copyOf(sections);
    }

    /** A supported keyword. */
    public static Keyword of(String name, String usage, Handler handler, Section first, Section... more) {
        return new Keyword(name, EnumSet.of(first, more), usage, Support.SUPPORTED, handler);
    }

    /** A supported keyword allowed in a set of sections (e.g. {@link Section#BACKENDS}). */
    public static Keyword of(String name, String usage, Handler handler, Set<Section> sections) {
        return new Keyword(name, sections, usage, Support.SUPPORTED, handler);
    }

    /** A real HAProxy keyword that Berth rejects until it is implemented, in a set of sections. */
    public static Keyword notYet(String name, Set<Section> sections) {
        return new Keyword(name, sections, name + " ... (HAProxy keyword, not yet supported by Berth)",
                Support.NOT_YET, ctx -> {
                    throw new ConfigException("'" + name + "' is not yet supported by Berth.");
                });
    }

    /** A keyword accepted with a warning. */
    public static Keyword ignored(String name, Section first, Section... more) {
        return new Keyword(name, EnumSet.of(first, more), name + " ... (accepted and ignored by Berth)",
                Support.IGNORED, ctx -> ctx.warn("'" + name + "' is ignored by Berth."));
    }

    /** A real HAProxy keyword that Berth rejects until it is implemented. */
    public static Keyword notYet(String name, Section first, Section... more) {
        return new Keyword(name, EnumSet.of(first, more), name + " ... (HAProxy keyword, not yet supported by Berth)",
                Support.NOT_YET, ctx -> {
                    throw new ConfigException("'" + name + "' is not yet supported by Berth.");
                });
    }

    /** The words of the name, e.g. {@code [timeout, connect]}. */
    public List<String> words() {
        return List.of(name.split(" "));
    }
}
