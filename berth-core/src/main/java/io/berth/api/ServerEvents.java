package io.berth.api;

import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;
import io.berth.server.ServerGroup;

/**
 * The log lines HAProxy 2.6 emits when the runtime API changes a server ({@code srv_update_status} in
 * src/server.c), sent through the backend's {@code AccessLog.event}. Counts are taken after the change.
 * Example: {@code Server be/s1 is going DOWN for maintenance. 1 active and 0 backup servers left. 0 sessions
 * active, 0 requeued, 0 remaining in queue.} Stateless; called on socket threads.
 */
final class ServerEvents {
    private ServerEvents() {
    }

    static void enteredMaint(RuntimeBackend b, Server s, boolean wasRunning) {
        if (wasRunning) {
            emit(b, "notice", name(s) + " is going DOWN for maintenance." + left(s));
        } else {
            emit(b, "notice", name(s) + " was DOWN and now enters maintenance.");
        }
        noServer(b, wasRunning);
    }

    static void leftMaint(RuntimeBackend b, Server s) {
        String now = switch (s.state()) {
            case DOWN -> "DOWN";
            case DRAIN -> "UP/DRAIN";
            default -> "UP/READY";
        };
        emit(b, "notice", name(s) + " is " + now + " (leaving forced maintenance).");
    }

    static void enteredDrain(RuntimeBackend b, Server s) {
        if (s.isAdminMaint()) {
            emit(b, "notice", name(s) + " remains in forced drain mode.");
        } else {
            emit(b, "notice", name(s) + " enters drain state." + online(s));
        }
    }

    static void leftDrain(RuntimeBackend b, Server s) {
        emit(b, "notice", name(s) + " is UP (leaving forced drain).");
    }

    /** {@code set server b/s health up|stopping|down}: {@code Server be/s1 is DOWN, changed from CLI. ...}. */
    static void healthChanged(RuntimeBackend b, Server s, String what, boolean wasUsable) {
        boolean down = what.equals("DOWN");
        emit(b, down && wasUsable ? "alert" : "notice",
                name(s) + " is " + what + ", changed from CLI." + (down ? left(s) : online(s)));
        noServer(b, wasUsable);
    }

    /** {@code backend be has no server available!} when the last usable server went away. */
    private static void noServer(RuntimeBackend b, boolean wasUsable) {
        ServerGroup g = b.servers();
        boolean any = g.all().stream().anyMatch(Server::isUsable);
        if (wasUsable && !any) {
            emit(b, "emerg", "backend " + b.name() + " has no server available!");
        }
    }

    private static String name(Server s) {
        return (s.isBackup() ? "Backup Server " : "Server ") + s.group().backendName() + "/" + s.name();
    }

    private static String left(Server s) {
        return counts(s) + " servers left." + onBackup(s) + " " + s.currentConns.get()
                + " sessions active, 0 requeued, 0 remaining in queue.";
    }

    private static String online(Server s) {
        return counts(s) + " servers online." + onBackup(s) + " 0 sessions requeued, 0 total in queue.";
    }

    private static String counts(Server s) {
        return " " + usable(s.group(), false) + " active and " + usable(s.group(), true) + " backup";
    }

    private static String onBackup(Server s) {
        return usable(s.group(), false) == 0 && usable(s.group(), true) > 0 ? " Running on backup." : "";
    }

    static int usable(ServerGroup g, boolean backup) {
        int n = 0;
        for (Server x : g.all()) {
            if (x.isBackup() == backup && x.isUsable()) {
                n++;
            }
        }
        return n;
    }

    private static void emit(RuntimeBackend b, String level, String line) {
        b.log().event(level, line);
    }
}
