package io.berth.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every runtime-API command Berth answers, looked up by its words; produces {@code help} and the "Unknown
 * command" answers from the same rows, as HAProxy's {@code cli_gen_usage_msg} (src/cli.c) does: count the
 * leading words that match some command exactly, then rank the commands sharing that prefix by the
 * {@link WordFingerprint} distance of the remaining words, keep the best five within 2.5 × the best distance,
 * and list them sorted by usage line, followed by help/prompt/quit. Immutable after construction; thread-safe.
 */
public final class CommandRegistry {
    /** HAProxy's CLI_PREFIX_KW_NB: at most five words are compared. */
    private static final int PREFIX_WORDS = 5;
    private static final int MAX_MATCHES = 5;
    private static final String ALWAYS = """
              help [<command>]                        : list matching or all commands
              prompt                                  : toggle interactive mode with prompt
              quit                                    : disconnect
            """;

    private final List<CliCommand> commands;

    public CommandRegistry(List<CliCommand> commands) {
        this.commands = List.copyOf(commands);
    }

    public List<CliCommand> commands() {
        return commands;
    }

    /** The command whose words are the longest prefix of {@code args}, or null. */
    public CliCommand find(List<String> args) {
        CliCommand best = null;
        for (CliCommand c : commands) {
            if (c.matches(args) && (best == null || c.words().size() > best.words().size())) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The help or "Unknown command" text for {@code args} ({@code help ...} gives the help header). Every level
     * sees the same list, as in HAProxy 2.6 where no command is hidden from user or operator sessions.
     */
    public String usage(List<String> args) {
        List<String> a = new ArrayList<>(args);
        boolean help = !a.isEmpty() && a.get(0).equals("help");
        if (help) {
            a.remove(0);
        }
        int length = 0;
        for (CliCommand c : commands) {
            for (int i = 0; i < PREFIX_WORDS && i < c.words().size() && i < a.size(); i++) {
                if (a.get(i).isEmpty() || !c.words().get(i).equals(a.get(i))) {
                    break;
                }
                length = Math.max(length, i + 1);
            }
        }
        StringBuilder out = new StringBuilder();
        if (help) {
            out.append("The following commands are valid at this level:\n");
        } else if (length == 0 && (a.isEmpty() || a.get(0).isEmpty())) {
            out.append("Unknown command. Please enter one of the following commands only:\n");
        } else {
            out.append("Unknown command, but maybe one of the following ones is a better match:\n");
        }
        List<CliCommand> entries = new ArrayList<>();
        List<CliCommand> fuzzy = fuzzyMatches(a, length);
        if (!fuzzy.isEmpty()) {
            entries.addAll(fuzzy);
        } else {
            for (CliCommand c : commands) {
                if (c.usage() != null && prefixMatches(c, a, length) == length) {
                    entries.add(c);
                }
            }
        }
        entries.sort(Comparator.comparing(CliCommand::usage));
        for (CliCommand c : entries) {
            out.append("  ").append(c.usage()).append('\n');
        }
        return out.append(ALWAYS).toString();
    }

    /** How many of the first {@code length} words match the command (stops at the command's or line's end). */
    private static int prefixMatches(CliCommand c, List<String> a, int length) {
        int i = 0;
        for (; i < length; i++) {
            if (i >= c.words().size() || i >= a.size() || a.get(i).isEmpty() || !c.words().get(i).equals(a.get(i))) {
                break;
            }
        }
        return i;
    }

    private record Match(CliCommand command, int dist) {
    }

    private List<CliCommand> fuzzyMatches(List<String> a, int length) {
        if (length >= a.size() || a.get(length).isEmpty()) {
            return List.of();
        }
        Match[] best = new Match[MAX_MATCHES];
        for (CliCommand c : commands) {
            if (c.usage() == null || prefixMatches(c, a, length) != length) {
                continue;
            }
            int[] wordSig = new int[1024];
            int[] listSig = new int[1024];
            int totlen = 0;
            for (int i = length; i < PREFIX_WORDS && i < a.size() && !a.get(i).isEmpty(); i++) {
                io.berth.config.Suggestion.addTo(wordSig, a.get(i));
                totlen += a.get(i).length();
            }
            for (int i = length; i < PREFIX_WORDS && i < c.words().size(); i++) {
                io.berth.config.Suggestion.addTo(listSig, c.words().get(i));
                totlen += c.words().get(i).length();
            }
            int dist = io.berth.config.Suggestion.distance(wordSig, listSig);
            Match last = best[MAX_MATCHES - 1];
            if (dist < 5 * totlen / 2 && (last == null || dist < last.dist())) {
                // insertion keeping the array sorted by distance, earlier entries first on ties
                best[MAX_MATCHES - 1] = new Match(c, dist);
                for (int i = MAX_MATCHES - 1; --i >= 0; ) {
                    if (best[i] != null && best[i + 1].dist() >= best[i].dist()) {
                        break;
                    }
                    Match swp = best[i + 1];
                    best[i + 1] = best[i];
                    best[i] = swp;
                }
            }
        }
        List<CliCommand> out = new ArrayList<>();
        for (Match m : best) {
            if (m == null || m.dist() > 5 * best[0].dist() / 2) {
                break;
            }
            out.add(m.command());
        }
        return out;
    }
}
