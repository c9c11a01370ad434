package io.berth.api;

import io.berth.health.HealthChecks;
import io.berth.model.BalanceSpec;
import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;
import io.berth.server.ServerState;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The server commands of the runtime API ({@code cli_parse_*_server}, {@code cli_parse_set_weight},
 * {@code cli_parse_{enable,disable}_health} in src/server.c): answers, error texts and log lines as HAProxy 2.6.
 * A success answers nothing (only the empty line). Runs on socket threads; changes go through {@link Server}'s
 * volatile setters, which notify the balancers and the health checks.
 */
final class ServerCommands {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String SET_SERVER_USAGE = "usage: set server <backend>/<server> addr | agent | agent-addr"
            + " | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n";

    private ServerCommands() {
    }

    static List<CliCommand> commands() {
        return List.of(
                CliCommand.of("disable server", "disable server (DEPRECATED)",
                        "disable a server for maintenance (use 'set server' instead)", CliLevel.ADMIN,
                        r -> withServer(r, 2, s -> setState(r, s, "maint"))),
                CliCommand.of("enable server", "enable server  (DEPRECATED)",
                        "enable a disabled server (use 'set server' instead)", CliLevel.ADMIN,
                        r -> withServer(r, 2, s -> setState(r, s, "ready"))),
                CliCommand.of("disable health", "disable health", "disable health checks", CliLevel.ADMIN,
                        r -> withServer(r, 2, s -> health(r, s, false))),
                CliCommand.of("enable health", "enable health", "enable health checks", CliLevel.ADMIN,
                        r -> withServer(r, 2, s -> health(r, s, true))),
                CliCommand.of("get weight", "get weight <bk>/<srv>", "report a server's current weight",
                        CliLevel.USER, r -> withServer(r, 2, s -> s.weight() + " (initial " + s.initialWeight() + ")\n")),
                CliCommand.of("set weight", "set weight <bk>/<srv>  (DEPRECATED)",
                        "change a server's weight (use 'set server' instead)", CliLevel.ADMIN,
                        r -> withServer(r, 2, s -> weight(r, s, r.arg(3)))),
                CliCommand.of("set server", "set server <bk>/<srv> [opts]",
                        "change a server's state, weight, address or ssl", CliLevel.ADMIN, ServerCommands::setServer));
    }

    private interface OnServer {
        String apply(Server s);
    }

    private static String withServer(CliRequest r, int index, OnServer action) {
        CliRequest.ServerRef ref = r.server(index);
        return ref.error() != null ? ref.error() : action.apply(ref.server());
    }

    private static String setServer(CliRequest r) {
        return withServer(r, 2, s -> switch (r.arg(3)) {
            case "state" -> switch (r.arg(4)) {
                case "ready", "drain", "maint" -> setState(r, s, r.arg(4));
                default -> "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
            };
            case "health" -> setHealth(r, s, r.arg(4));
            case "weight" -> weight(r, s, r.arg(4));
            case "addr" -> addr(r, s);
            case "agent", "agent-addr", "agent-port", "agent-send", "check-addr", "check-port", "fqdn", "ssl" ->
                    "'set server <srv> " + r.arg(3) + "' is not supported by Berth.\n";
            default -> SET_SERVER_USAGE;
        });
    }

    /** {@code ready} leaves maintenance and drain, {@code drain} leaves maintenance and drains, {@code maint} enters it. */
    static String setState(CliRequest r, Server s, String state) {
        RuntimeBackend b = r.context().backend(s.group().backendName());
        switch (state) {
            case "maint" -> {
                if (!s.isAdminMaint()) {
                    boolean wasRunning = s.state().isRunning();
                    r.context().setUncheckedHealth(s, 0);
                    s.setAdminMaint(true);
                    ServerEvents.enteredMaint(b, s, wasRunning);
                }
            }
            case "drain" -> {
                boolean leaveMaint = s.isAdminMaint();
                if (!s.isAdminDrain()) {
                    s.setAdminDrain(true);
                    if (!leaveMaint) {
                        ServerEvents.enteredDrain(b, s);
                    }
                }
                if (leaveMaint) {
                    leaveMaint(r, b, s);
                }
            }
            default -> {
                if (s.isAdminMaint()) {
                    leaveMaint(r, b, s);
                }
                if (s.isAdminDrain()) {
                    s.setAdminDrain(false);
                    ServerEvents.leftDrain(b, s);
                }
            }
        }
        // the checks apply an admin change on their own loop: wait for it, so that the answer and the next
        // command see the server as HAProxy, single-threaded, would (health from rise, slowstart ramp started)
        HealthChecks hc = r.context().checks(s);
        if (hc != null) {
            hc.settle(s.name());
        }
        return "";
    }

    private static void leaveMaint(CliRequest r, RuntimeBackend b, Server s) {
        s.setAdminMaint(false);
        if (!ApiContext.checked(s) && s.isHealthDown()) {
            // unchecked servers come back UP when maintenance ends (HAProxy: no check to wait for)
            s.setHealthDown(false);
        }
        ServerEvents.leftMaint(b, s);
    }

    /**
     * {@code set server b/s health up|stopping|down}. On a checked server the next checks decide again, as in
     * HAProxy; on an unchecked one the forced state stays.
     */
    private static String setHealth(CliRequest r, Server s, String what) {
        RuntimeBackend b = r.context().backend(s.group().backendName());
        boolean wasUsable = s.isUsable();
        ServerState before = s.state();
        switch (what) {
            case "up" -> {
                s.setHealthStopping(false);
                s.setHealthDown(false);
                r.context().setUncheckedHealth(s, top(s));
                forceCheck(r, s, true);
                if (before != s.state() && !s.isAdminMaint()) {
                    ServerEvents.healthChanged(b, s, "UP", wasUsable);
                }
            }
            case "stopping" -> {
                // HAProxy sets the check counter to its top before srv_set_stopping, as for "up"
                r.context().setUncheckedHealth(s, top(s));
                forceCheck(r, s, true);
                s.setHealthDown(false);
                s.setHealthStopping(true);
                if (before != s.state() && !s.isAdminMaint()) {
                    ServerEvents.healthChanged(b, s, "stopping", wasUsable);
                }
            }
            case "down" -> {
                s.setHealthStopping(false);
                s.setHealthDown(true);
                r.context().setUncheckedHealth(s, 0);
                forceCheck(r, s, false);
                if (before != s.state() && !s.isAdminMaint()) {
                    ServerEvents.healthChanged(b, s, "DOWN", wasUsable);
                }
            }
            default -> {
                return "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n";
            }
        }
        return "";
    }

    /** rise+fall-1: the top of the check counter. */
    private static int top(Server s) {
        var c = s.spec().check();
        return c == null ? 4 : c.rise() + c.fall() - 1;
    }

    /**
     * {@code enable|disable health}: accepted silently for every existing server as HAProxy does; on a server with
     * {@code check} it resumes or suspends its checks (the server keeps its current state meanwhile).
     */
    private static String health(CliRequest r, Server s, boolean enable) {
        HealthChecks hc = r.context().checks(s);
        if (ApiContext.checked(s) && hc != null) {
            hc.setChecksEnabled(s.name(), enable);
        }
        return "";
    }

    /** A checked server's check counter follows {@code set server health up|down}. */
    private static void forceCheck(CliRequest r, Server s, boolean up) {
        HealthChecks hc = r.context().checks(s);
        if (ApiContext.checked(s) && hc != null) {
            hc.forceHealth(s.name(), up);
        }
    }

    /**
     * HAProxy's {@code server_parse_weight_change_request}: {@code N} (0..256) or {@code N%} of the initial
     * weight (capped at 256); static algorithms accept only 0 % and 100 %.
     */
    static String weight(CliRequest r, Server s, String text) {
        if (text.isEmpty()) {
            return "Require <weight> or <weight%>.\n";
        }
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '-' || text.charAt(0) == '+') {
            negative = text.charAt(0) == '-';
            i++;
        }
        int start = i;
        long w = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && w < 100_000_000L) {
            w = w * 10 + (text.charAt(i++) - '0');
        }
        if (i == start) {
            return "Empty weight string empty or preceded by garbage";
        }
        w = negative ? -w : w;
        String rest = text.substring(i);
        if (rest.equals("%")) {
            if (w < 0) {
                return "Relative weight must be positive.\n";
            }
            w = Math.min(256, s.initialWeight() * w / 100);
        } else if (w < 0 || w > 256) {
            return "Absolute weight can only be between 0 and 256 inclusive.\n";
        } else if (!rest.isEmpty()) {
            return "Trailing garbage in weight string";
        }
        if (w != 0 && w != s.initialWeight() && isStatic(r, s)) {
            return "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n";
        }
        s.setWeight((int) w);
        return "";
    }

    private static boolean isStatic(CliRequest r, Server s) {
        BalanceSpec b = r.context().backend(s.group().backendName()).spec().balance();
        return b.algorithm() == BalanceSpec.Algorithm.STATIC_RR
                || (b.isHashBased() && b.hashType() == BalanceSpec.HashType.MAP_BASED);
    }

    /** {@code set server b/s addr A [port P]}: the answer describes what changed, as HAProxy's. */
    private static String addr(CliRequest r, Server s) {
        String a = r.arg(4);
        if (a.isEmpty()) {
            return "set server <b>/<s> addr requires an address and optionally a port.\n";
        }
        InetAddress ip = literal(a);
        if (ip == null) {
            return "Invalid addr '" + a + "' by 'stats socket command'\n";
        }
        InetSocketAddress old = s.address();
        String oldIp = old.getAddress() == null ? old.getHostString() : old.getAddress().getHostAddress();
        StringBuilder msg = new StringBuilder();
        boolean ipChanged = !ip.equals(old.getAddress());
        msg.append(ipChanged ? "IP changed from '" + oldIp + "' to '" + a + "'" : "no need to change the addr");
        int port = old.getPort();
        if (r.arg(5).equals("port")) {
            String p = r.arg(6);
            int np;
            try {
                np = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                np = -1;
            }
            if (np < 0 || np > 65535) {
                msg.append(", problem converting port '").append(p).append("' to an int");
                if (ipChanged) {
                    s.setAddress(new InetSocketAddress(ip, port));
                }
                return msg.append(" by 'stats socket command'\n").toString();
            }
            msg.append(np == port ? ", no need to change the port"
                    : ", port changed from '" + port + "' to '" + np + "'");
            port = np;
        }
        if (ipChanged || port != old.getPort()) {
            s.setAddress(new InetSocketAddress(ip, port));
        }
        return msg.append(" by 'stats socket command'\n").toString();
    }

    /** An IPv4 or IPv6 literal (never a DNS name, as HAProxy's CLI accepts only addresses), or null. */
    private static InetAddress literal(String a) {
        if (!IPV4.matcher(a).matches() && !(a.contains(":") && a.matches("[0-9a-fA-F:.]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
