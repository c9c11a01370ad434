package io.berth.api;

import java.util.List;

/**
 * The conversation of one stats socket client, without the socket: HAProxy's CLI applet semantics. A line is
 * split into commands at {@code ;}; each answer is followed by an empty line. Without {@code prompt} the
 * connection closes after the first line; with it, {@code "> "} is printed whenever a new line is awaited.
 * {@code quit} closes at once, {@code operator}/{@code user} lower the level for the rest of the session.
 * Confined to the client's thread.
 */
public final class CliSession {
    private final CommandRegistry registry;
    private final ApiContext context;
    private CliLevel level;
    private boolean interactive;
    private boolean closing;

    public CliSession(CommandRegistry registry, ApiContext context, CliLevel level) {
        this.registry = registry;
        this.context = context;
        this.level = level;
    }

    /**
     * Runs one line (without its newline).
     *
     * @return the bytes to send back; afterwards {@link #isClosing()} says whether to close
     */
    public String onLine(String line) {
        StringBuilder out = new StringBuilder();
        for (List<String> words : CliLine.parse(line)) {
            if (!words.isEmpty() && words.get(0).equals("quit")) {
                closing = true;
                return out.toString();
            }
            out.append(run(words)).append('\n');
        }
        if (interactive) {
            out.append("> ");
        } else {
            closing = true;
        }
        return out.toString();
    }

    private String run(List<String> words) {
        String first = words.isEmpty() ? "" : words.get(0);
        switch (first) {
            case "prompt" -> {
                interactive = !interactive;
                return "";
            }
            case "help" -> {
                return registry.usage(words);
            }
            case "operator", "user" -> {
                if (words.size() == 1) {
                    CliLevel wanted = CliLevel.parse(first);
                    if (!level.allows(wanted)) {
                        return "Permission denied\n";
                    }
                    level = wanted;
                    return "";
                }
            }
            default -> {
            }
        }
        CliCommand c = registry.find(words);
        if (c == null) {
            return registry.usage(words);
        }
        if (!level.allows(c.level())) {
            return "Permission denied\n";
        }
        return c.handler().handle(new CliRequest(words, level, context));
    }

    public boolean isInteractive() {
        return interactive;
    }

    public boolean isClosing() {
        return closing;
    }

    public CliLevel level() {
        return level;
    }
}
