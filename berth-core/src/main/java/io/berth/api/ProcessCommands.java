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
     * {@code show sess}: one line per client connection of the running configuration, with the leading fields of
     * HAProxy 2.6's line ({@code 0x...: proto=tcpv4 src=IP:PORT fe=FE be=BE srv=SRV ts=00 age=Ns}); HAProxy's
     * internal buffer and flag dump that follows them has no Berth equivalent and is left out.
     */
    private static String showSess(CliRequest r) {
        StringBuilder out = new StringBuilder();
        for (io.berth.runtime.LiveSession s : r.context().runtime().sessions) {
            java.net.InetSocketAddress c = s.client();
            boolean v6 = c.getAddress() instanceof java.net.Inet6Address;
            out.append("0x").append(Long.toHexString(s.id())).append(": proto=").append(v6 ? "tcpv6" : "tcpv4")
                    .append(" src=").append(v6 ? "[" + c.getAddress().getHostAddress() + "]"
                            : c.getAddress().getHostAddress()).append(':').append(c.getPort())
                    .append(" fe=").append(s.frontendName())
                    .append(" be=").append(s.backend() == null ? "<NONE>" : s.backend())
                    .append(" srv=").append(s.server() == null ? "<none>" : s.server())
                    .append(" ts=00 age=").append(age(s.ageMillis())).append('\n');
        }
        return out.toString();
    }

    /** HAProxy's human duration: {@code 5s}, {@code 2m3s}, {@code 1h2m}, {@code 3d4h}. */
    static String age(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d" + s % 86400 / 3600 + "h";
    }
}
