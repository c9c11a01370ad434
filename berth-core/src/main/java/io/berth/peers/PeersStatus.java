package io.berth.peers;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code show peers} text of one section, in HAProxy 2.6's layout (src/peers.c {@code peers_dump_head} and
 * {@code peers_dump_peer}): a head line per section, then per peer its name, role, address, last handshake
 * status and timers, then its shared tables. Object addresses, which mean nothing outside HAProxy, are replaced
 * by identity hashes in the same {@code 0x...} form. Built on the section's event loop.
 */
final class PeersStatus {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss", Locale.ROOT);

    private PeersStatus() {
    }

    static String head(Object section, String name, ZonedDateTime lastChange, boolean upToDate) {
        // flags: 0x1 PEERS_F_RESYNC_LOCAL finished, 0x2 remote finished, as HAProxy sets them once up to date
        return String.format(Locale.ROOT, "0x%08x: [%s] id=%s disabled=0 flags=0x%x resync_timeout=<NEVER>"
                        + " task_calls=0%n", System.identityHashCode(section), STAMP.format(lastChange), name,
                upToDate ? 0x3 : 0x0);
    }

    static String peer(PeerSection.RemotePeer r, long now, long heartbeatDue,
                       java.util.List<io.berth.persist.stick.StickTable> tables) {
        StringBuilder b = new StringBuilder();
        boolean active = r.session != null && r.session.established();
        b.append(String.format(Locale.ROOT, "  0x%08x: id=%s(%s,%s) addr=%s:%d last_status=%s last_hdshk=%s%n",
                System.identityHashCode(r), r.name, r.local ? "local" : "remote", active ? "active" : "inactive",
                r.address.getHostString(), r.address.getPort(), r.lastStatus,
                r.lastHandshake < 0 ? "<NEVER>" : human(now - r.lastHandshake)));
        String reconnect = active || r.nextDial == 0 ? "<NEVER>" : r.nextDial <= now ? "<PAST>"
                : human(r.nextDial - now);
        String heartbeat = !active ? "<NEVER>" : heartbeatDue <= now ? "<PAST>" : human(heartbeatDue - now);
        // confirm: resync confirmations still to send; Berth answers at once, so none ever waits
        b.append(String.format(Locale.ROOT, "        reconnect=%s heartbeat=%s confirm=0 tx_hbt=%d rx_hbt=%d"
                + " no_hbt=%d new_conn=%d proto_err=%d coll=%d%n", reconnect, heartbeat, r.txHbt, r.rxHbt, r.noHbt,
                r.newConn, r.protoErr, r.coll));
        b.append("        flags=0x0");
        if (!tables.isEmpty()) {
            b.append(System.lineSeparator()).append("        shared tables:");
            int id = 1;
            for (io.berth.persist.stick.StickTable t : tables) {
                b.append(String.format(Locale.ROOT, "%n          0x%08x local_id=%d"
                        + "%n              table:0x%08x id=%s size=%d used=%d", System.identityHashCode(r) + id, id,
                        System.identityHashCode(t), t.name(), t.spec().size(), t.used()));
                id++;
            }
        }
        return b.append(System.lineSeparator()).toString();
    }

    /** HAProxy's {@code human_time} at one-second resolution: {@code 0s}, {@code 12s}, {@code 3m4s}, {@code 1h2m}. */
    static String human(long ms) {
        long s = Math.max(0, ms) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (s < 86400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        }
        return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
    }
}
