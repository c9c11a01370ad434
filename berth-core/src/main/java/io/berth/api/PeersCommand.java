package io.berth.api;

/**
 * {@code show peers [dict|-] [section]}: the state of the process's {@code peers} sections as HAProxy 2.6 dumps
 * it (head line per section, then each peer: role, address, last handshake status, timers, shared tables). The
 * text comes from the peers subsystem through {@link ApiContext#peers}; owned by the peers engineer. Runs on
 * the client's socket thread.
 */
final class PeersCommand {
    private PeersCommand() {
    }

    static CliCommand command() {
        return CliCommand.of("show peers", "show peers [dict|-] [section]",
                "dump some information about all the peers or this peers section", CliLevel.USER,
                PeersCommand::show);
    }

    private static String show(CliRequest r) {
        // "dict" and "-" select HAProxy's dictionary dump / no dictionary; Berth keeps no per-peer dictionary view
        int i = r.arg(2).equals("dict") || r.arg(2).equals("-") ? 3 : 2;
        String section = r.arg(i);
        String text = r.context().peers().apply(section);
        return text == null ? "No such peers\n" : text;
    }
}
