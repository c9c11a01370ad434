package io.berth.api;

import io.berth.health.CheckState;
import io.berth.server.Server;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A server as {@code show stat} and {@code show servers state} describe it, derived once per row from the live
 * {@link Server} and its latest {@link CheckState}: HAProxy's op state, admin bits, check counter and the status
 * text of {@code stats_fill_sv_stats_computestate} (src/stats.c). Immutable, built on the socket thread.
 */
record ServerView(Server server, Optional<CheckState> check, boolean checked, int opState, int adminState,
                  int health, int rise, int fall, boolean enabled) {

    static ServerView of(ApiContext ctx, Server s) {
        Optional<CheckState> cs = ctx.check(s);
        boolean checked = ApiContext.checked(s);
        int rise = checked ? s.spec().check().rise() : 2;
        int fall = checked ? s.spec().check().fall() : 3;
        if (s.spec().check() != null) {
            rise = s.spec().check().rise();
            fall = s.spec().check().fall();
        }
        int op;
        if (s.isAdminMaint() || s.isHealthDown()) {
            op = 0;
        } else if (s.isHealthStopping()) {
            op = 3;
        } else {
            op = 2;
        }
        // 0x04 (config maint) stays after 'enable server' in HAProxy 2.6 (observed: admin state 4, running)
        int admin = s.spec().disabled() ? 0x04 : 0;
        if (s.isAdminMaint()) {
            admin |= 0x01;
        }
        if (s.isAdminDrain()) {
            admin |= 0x08;
        }
        int health;
        if (cs.isPresent()) {
            health = cs.get().health();
        } else {
            health = ctx.uncheckedHealth(s, rise);
        }
        return new ServerView(s, cs, checked, op, admin, health, rise, fall, ctx.checksEnabled(s));
    }

    /** HAProxy's {@code check.state} bits: 0x01 running, 0x02 configured, 0x04 enabled, 0x08 paused. */
    int checkStateBits() {
        int bits = checked ? (enabled ? 0x06 : 0x02) : 0;
        // 'disabled' in the config pauses the check for good (observed even after 'enable server'); the CLI
        // pauses only real checks
        if ((adminState & 0x04) != 0 || (checked && server.isAdminMaint())) {
            bits |= 0x08;
        }
        if (check.isPresent() && check.get().inProgress()) {
            bits |= 0x01;
        }
        return bits;
    }

    /** Configured and not suspended by {@code disable health}: HAProxy then shows the check's counts. */
    boolean running() {
        return checked && enabled;
    }

    /** Checks enabled and not paused: the check columns of {@code show stat} are filled. */
    boolean checkShown() {
        return checked && enabled && !server.isAdminMaint();
    }

    /** {@code show stat} status: MAINT, UP, UP 2/3, DOWN 1/2, NOLB, DRAIN, no check ... */
    String status() {
        if (server.isAdminMaint()) {
            return "MAINT";
        }
        int top = rise + fall - 1;
        if (opState == 2) {
            boolean goingDown = running() && health < top;
            String counts = " " + (health - rise + 1) + "/" + fall;
            if (server.isAdminDrain()) {
                return goingDown ? "DRAIN" + counts : "DRAIN";
            }
            if (goingDown) {
                return "UP" + counts;
            }
            return running() ? "UP" : "no check";
        }
        if (opState == 3) {
            return !running() || health == top ? "NOLB" : "NOLB " + (health - rise + 1) + "/" + fall;
        }
        if (running() && health != 0) {
            return "DOWN " + health + "/" + rise;
        }
        return "DOWN";
    }

    /** The address as HAProxy prints it: {@code 127.0.0.1}, {@code ::1}. */
    String ip() {
        InetSocketAddress a = server.address();
        return a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }

    /** {@code ip:port}, {@code [v6]:port} for IPv6. */
    String ipPort() {
        String ip = ip();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + server.address().getPort();
    }
}
