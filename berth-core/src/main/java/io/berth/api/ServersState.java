package io.berth.api;

import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;

import java.util.List;

/**
 * {@code show servers state [<backend>]}: version line {@code 1}, the 25-column header and one line per server
 * in HAProxy 2.6's format ({@code dump_servers_state} in src/proxy.c), the same text {@code server-state-file}
 * loads. Example: {@code 3 be 1 s1 127.0.0.1 2 0 1 1 29 1 0 2 0 0 0 0 - 19101 - 0 0 - - 0}. Stateless.
 */
final class ServersState {
    static final String HEADER = "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight"
            + " srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord"
            + " srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    private ServersState() {
    }

    static CliCommand command() {
        return CliCommand.of("show servers state", "show servers state [<backend>]",
                "dump volatile server information (all or for a single backend)", CliLevel.USER, ServersState::show);
    }

    static String show(CliRequest r) {
        List<RuntimeBackend> backends;
        if (!r.arg(3).isEmpty()) {
            RuntimeBackend b = r.backendByRef(r.arg(3));
            if (b == null) {
                return "Can't find backend.\n";
            }
            backends = List.of(b);
        } else {
            backends = r.context().runtime().backends();
        }
        StringBuilder out = new StringBuilder("1\n").append(HEADER);
        long now = System.currentTimeMillis();
        for (RuntimeBackend b : backends) {
            for (Server s : b.servers().all()) {
                line(out, r.context(), b, s, now);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, ApiContext ctx, RuntimeBackend b, Server s, long now) {
        ServerView v = ServerView.of(ctx, s);
        long since = Math.max(0, (now - lastChange(v)) / 1000);
        int status = v.check().map(c -> c.status().code()).orElse(1);
        int result = v.check().map(c -> c.result().code()).orElse(0);
        var check = s.spec().check();
        out.append(b.spec().id()).append(' ').append(b.name()).append(' ').append(s.id()).append(' ')
                .append(s.name()).append(' ').append(v.ip()).append(' ').append(v.opState()).append(' ')
                .append(v.adminState()).append(' ').append(s.weight()).append(' ').append(s.initialWeight())
                .append(' ').append(since).append(' ').append(status).append(' ').append(result).append(' ')
                .append(v.health()).append(' ').append(v.checkStateBits()).append(" 0 0 ")
                .append(s.spec().idForced() ? 1 : 0).append(" - ").append(s.address().getPort()).append(" - 0 ")
                .append(check == null ? 0 : check.port()).append(' ')
                .append(check == null || check.addr() == null ? "-" : check.addr()).append(" - 0\n");
    }

    /** The later of the server's own change and its last check transition. */
    static long lastChange(ServerView v) {
        long t = v.server().lastChangeMs();
        if (v.check().isPresent()) {
            t = Math.max(t, v.check().get().lastChangeMs());
        }
        return t;
    }
}
