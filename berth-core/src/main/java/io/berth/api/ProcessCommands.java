package io.berth.api;

import io.berth.runtime.RuntimeBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Process-level commands: {@code show cli level}, {@code show backend}, {@code show env}, {@code show errors},
 * {@code show sess}, and the level-lowering {@code operator}/{@code user} (run by {@link CliSession}).
 * Outputs as HAProxy 2.6 prints them. Stateless.
 */
final class ProcessCommands {
    private ProcessCommands() {
    }

    static List<CliCommand> commands() {
        List<CliCommand> c = new ArrayList<>();
        c.add(CliCommand.of("show cli level", "show cli level", "display the level of the current CLI session",
                CliLevel.USER, r -> r.level().word() + "\n"));
        c.add(CliCommand.of("show backend", "show backend", "list backends in the current running config",
                CliLevel.USER, ProcessCommands::showBackend));
        c.add(CliCommand.of("show env", "show env [var]", "dump environment variables known to the process",
                CliLevel.OPERATOR, ProcessCommands::showEnv));
        c.add(CliCommand.of("show errors", "show errors [<px>] [request|response]",
                "report last request and/or response errors for each proxy", CliLevel.OPERATOR,
                r -> ShowInfo.errorsHeader()));
        c.add(CliCommand.of("show sess", "show sess [id]",
                "report the list of current sessions or dump this exact session", CliLevel.OPERATOR,
                ProcessCommands::showSess));
        c.add(CliCommand.of("operator", "operator", "lower the level of the current CLI session to operator",
                CliLevel.USER, r -> ""));
        c.add(CliCommand.of("user", "user", "lower the level of the current CLI session to user",
                CliLevel.USER, r -> ""));
        return c;
    }

    private static String showBackend(CliRequest r) {
        StringBuilder out = new StringBuilder("# name\n");
        for (RuntimeBackend b : r.context().runtime().backends()) {
            out.append(b.name()).append('\n');
        }
        return out.toString();
    }

    /** {@code show env [VAR]}: {@code NAME=value} lines, or {@code Variable not found}. */
    private static String showEnv(CliRequest r) {
        Map<String, String> env = System.getenv();
        if (!r.arg(2).isEmpty()) {
            String v = env.get(r.arg(2));
            return v == null ? "Variable not found\n" : r.arg(2) + "=" + v + "\n";
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(env).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    /**
     * {@code show sess}: Berth's sessions live on the data plane's event loops, which do not publish a list;
     * this prints one summary line per frontend with its current and total connections.
     */
    private static String showSess(CliRequest r) {
        StringBuilder out = new StringBuilder();
        for (var f : r.context().runtime().frontends()) {
            out.append("fe=").append(f.name()).append(" cur_sess=").append(f.currentConns.get())
                    .append(" cum_sess=").append(f.totalConns.get()).append('\n');
        }
        return out.toString();
    }
}
