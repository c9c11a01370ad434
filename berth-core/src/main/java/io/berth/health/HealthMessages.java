package io.berth.health;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

/**
 * The wording of HAProxy 2.6's health log lines ({@code srv_append_status} and {@code srv_update_status} in
 * src/server.c, {@code set_server_check_status} in src/check.c, {@code set_backend_down} in src/backend.c).
 * Stateless; called on event loops.
 *
 * <p>Example (rise 2 fall 3, {@code option log-health-checks}):
 * <pre>
 * Health check for server flap/f1 failed, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 1ms, status: 0/2 DOWN.
 * Server flap/f1 is DOWN. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
 * </pre>
 */
final class HealthMessages {
    /** HAProxy keeps {@code check->desc} in a 128-byte buffer. */
    private static final int DESC_MAX = 127;

    private HealthMessages() {
    }

    /** {@code , reason: R[, code: N][, info: "I"], check duration: Dms} (src/server.c srv_append_status). */
    static void appendStatus(StringBuilder sb, CheckOutcome o) {
        sb.append(", reason: ").append(o.status().description());
        if (o.status().hasHttpCode()) {
            sb.append(", code: ").append(o.code());
        }
        String info = o.info().length() > DESC_MAX ? o.info().substring(0, DESC_MAX) : o.info();
        if (!info.isEmpty()) {
            sb.append(", info: \"");
            asciiEncode(sb, info);
            sb.append('"');
        }
        if (o.durationMs() >= 0) {
            sb.append(", check duration: ").append(o.durationMs()).append("ms");
        }
    }

    /** Non-printable bytes, '<', '>' and '"' become {@code <HH>} as HAProxy's chunk_asciiencode does. */
    static void asciiEncode(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '"') {
                sb.append('<').append(String.format("%02X", c & 0xff)).append('>');
            } else {
                sb.append(c);
            }
        }
    }

    /** {@code Health check for [backup ]server be/s succeeded|failed..., status: x/y UP|DRAIN|DOWN.} */
    static String checkLine(Server s, CheckOutcome o, int h, int rise, int fall) {
        StringBuilder sb = new StringBuilder(200);
        sb.append("Health check for ").append(s.isBackup() ? "backup " : "").append("server ")
                .append(s.group().backendName()).append('/').append(s.name()).append(' ');
        CheckResult r = o.status().result();
        sb.append(r == CheckResult.CONDPASS ? "conditionally " : "")
                .append(r == CheckResult.PASSED || r == CheckResult.CONDPASS ? "succeeded" : "failed");
        appendStatus(sb, o);
        boolean up = h >= rise;
        sb.append(", status: ").append(up ? h - rise + 1 : h).append('/').append(up ? fall : rise).append(' ')
                .append(up ? (s.weight() != 0 ? "UP" : "DRAIN") : "DOWN").append('.');
        return sb.toString();
    }

    /**
     * {@code [Backup ]Server be/s is DOWN|UP[, reason...]. N active and M backup servers left|online...}
     *
     * @param reason the check that caused it, or null (HAProxy omits it under log-health-checks)
     * @param down   true for DOWN, false for UP
     */
    static String stateLine(Server s, boolean down, CheckOutcome reason) {
        return stateLine(s, down, reason, s.currentConns.get());
    }

    /** As above with the "N sessions active" count given (passive health: the count when the error was seen). */
    static String stateLine(Server s, boolean down, CheckOutcome reason, int sessions) {
        StringBuilder sb = new StringBuilder(200);
        sb.append(s.isBackup() ? "Backup " : "").append("Server ").append(s.group().backendName()).append('/')
                .append(s.name()).append(down ? " is DOWN" : " is UP");
        if (reason != null) {
            appendStatus(sb, reason);
        }
        ServerGroup g = s.group();
        int act = activeUsable(g);
        int bck = backupUsable(g);
        String onBackup = bck > 0 && act == 0 ? " Running on backup." : "";
        // Berth has no server queues in this package: requeued and queued sessions are 0 (HAProxy's xferred).
        if (down) {
            sb.append(". ").append(act).append(" active and ").append(bck).append(" backup servers left.")
                    .append(onBackup).append(' ').append(sessions)
                    .append(" sessions active, 0 requeued, 0 remaining in queue.");
        } else {
            sb.append(". ").append(act).append(" active and ").append(bck).append(" backup servers online.")
                    .append(onBackup).append(" 0 sessions requeued, 0 total in queue.");
        }
        return sb.toString();
    }

    /** {@code backend be has no server available!} (src/backend.c set_backend_down, sent at emerg). */
    static String noServerLine(String proxyType, String backend) {
        return proxyType + " " + backend + " has no server available!";
    }

    /** HAProxy's {@code srv_act}: usable non-backup servers. */
    static int activeUsable(ServerGroup g) {
        int n = 0;
        for (Server s : g.all()) {
            if (!s.isBackup() && s.isUsable()) {
                n++;
            }
        }
        return n;
    }

    /** HAProxy's {@code srv_bck}: usable backup servers. */
    static int backupUsable(ServerGroup g) {
        int n = 0;
        for (Server s : g.all()) {
            if (s.isBackup() && s.isUsable()) {
                n++;
            }
        }
        return n;
    }
}
