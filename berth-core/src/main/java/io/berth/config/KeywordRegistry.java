package io.berth.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration keyword and {@code server} argument Berth knows, as declared by the subsystems
 * ({@code Subsystems.keywords()}). The parser looks keywords up here, {@code --list-keywords} prints these rows
 * and "did you mean" searches these names, so all three always agree. Filled once at start-up, then only read
 * (by the parser thread); not thread-safe while being filled.
 */
public final class KeywordRegistry {
    /** By name; several rows may share a name when their sections differ (global vs proxy {@code maxconn}). */
    private final Map<String, List<Keyword>> keywords = new LinkedHashMap<>();
    private final Map<String, ServerArgument> serverArguments = new LinkedHashMap<>();

    /**
     * Registers a keyword; refuses a second declaration of the same name for a section (a keyword is declared
     * once per section; {@code maxconn} exists once for global and once for proxies).
     */
    public KeywordRegistry add(Keyword keyword) {
        List<Keyword> same = keywords.computeIfAbsent(keyword.name(), n -> new ArrayList<>());
        for (Keyword k : same) {
            for (Section s : keyword.sections()) {
                if (k.sections().contains(s)) {
                    throw new IllegalArgumentException("keyword '" + keyword.name() + "' declared twice for '"
                            + s.word() + "'");
                }
            }
        }
        same.add(keyword);
        return this;
    }

    public KeywordRegistry addAll(Collection<Keyword> list) {
        list.forEach(this::add);
        return this;
    }

    /** Registers a server-line argument; refuses duplicates. */
    public KeywordRegistry add(ServerArgument argument) {
        if (serverArguments.putIfAbsent(argument.name(), argument) != null) {
            throw new IllegalArgumentException("server argument '" + argument.name() + "' declared twice");
        }
        return this;
    }

    public KeywordRegistry addServerArguments(Collection<ServerArgument> list) {
        list.forEach(this::add);
        return this;
    }

    /**
     * The keyword named by the first words of a line: the two-word name when declared ({@code timeout connect}),
     * else the one-word name ({@code server}), else null. The section is not checked here.
     */
    public Keyword find(List<String> words, Section section) {
        if (words.isEmpty()) {
            return null;
        }
        if (words.size() > 1) {
            Keyword two = pick(keywords.get(words.get(0) + " " + words.get(1)), section);
            if (two != null) {
                return two;
            }
        }
        return pick(keywords.get(words.get(0)), section);
    }

    /** The row allowed in {@code section}, else the first row (to word a "not allowed here" message). */
    private static Keyword pick(List<Keyword> rows, Section section) {
        if (rows == null) {
            return null;
        }
        for (Keyword k : rows) {
            if (k.sections().contains(section)) {
                return k;
            }
        }
        return rows.get(0);
    }

    public ServerArgument serverArgument(String name) {
        return serverArguments.get(name);
    }

    public List<Keyword> keywords() {
        return keywords.values().stream().flatMap(List::stream).toList();
    }

    public Collection<ServerArgument> serverArguments() {
        return serverArguments.values();
    }

    /**
     * HAProxy's "did you mean": the first word of a keyword allowed in {@code section} (or a section name) that
     * looks closest to {@code word}, or null when nothing is close enough.
     */
    public String suggest(String word, Section section) {
        Set<String> candidates = new LinkedHashSet<>();
        for (Keyword k : keywords()) {
            if (k.sections().contains(section)) {
                candidates.add(k.words().get(0));
            }
        }
        for (Section s : Section.values()) {
            candidates.add(s.word());
        }
        return Suggestion.closest(word, candidates);
    }

    /** The closest server argument name to {@code word}, or null. */
    public String suggestServerArgument(String word) {
        return Suggestion.closest(word, serverArguments.keySet());
    }

    /**
     * The {@code --list-keywords} text: per section, every keyword with its usage line and how Berth supports
     * it, then the server arguments.
     */
    public String listing() {
        StringBuilder out = new StringBuilder();
        for (Section section : Section.values()) {
            out.append(section.word()).append('\n');
            List<Keyword> rows = new ArrayList<>();
            for (Keyword k : keywords()) {
                if (k.sections().contains(section) && k.support() != Keyword.Support.FAMILY) {
                    rows.add(k);
                }
            }
            rows.sort((a, b) -> a.name().compareTo(b.name()));
            rows.stream().filter(k -> k.support() == Keyword.Support.SUPPORTED)
                    .forEach(k -> out.append("    ").append(k.usage()).append('\n'));
            names(out, "accepted with a warning and ignored", rows, Keyword.Support.IGNORED);
            names(out, "HAProxy keywords not yet supported (an error)", rows, Keyword.Support.NOT_YET);
        }
        out.append("server / default-server arguments\n");
        serverArguments.values().stream().filter(ServerArgument::supported).sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(a -> out.append("    ").append(a.usage()).append('\n'));
        List<String> pending = serverArguments.values().stream().filter(a -> !a.supported()).map(ServerArgument::name)
                .sorted().toList();
        if (!pending.isEmpty()) {
            out.append("  not yet supported (an error): ").append(String.join(", ", pending)).append('\n');
        }
        return out.toString();
    }

    /** One wrapped line listing the names of {@code rows} with the given support level, if any. */
    private static void names(StringBuilder out, String title, List<Keyword> rows, Keyword.Support support) {
        List<String> names = rows.stream().filter(k -> k.support() == support).map(Keyword::name).toList();
        if (!names.isEmpty()) {
            out.append("  ").append(title).append(": ").append(String.join(", ", names)).append('\n');
        }
    }
}
