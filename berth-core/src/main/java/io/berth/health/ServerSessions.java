package io.berth.health;

import io.berth.server.Server;
import io.netty.channel.Channel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open server-side connections of the servers whose state changes must cut them: {@code on-marked-down
 * shutdown-sessions} (the server's own) and {@code on-marked-up shutdown-backup-sessions} (the backups of a backend
 * where an active server has it). The data plane registers a connection when it is established (only for those
 * servers, so others cost one flag test); a closed connection leaves by itself. Any thread: concurrent sets, and
 * closing a channel is handed to its own event loop by Netty.
 */
public final class ServerSessions {
    private static final Map<Server, Set<Channel>> OPEN = new ConcurrentHashMap<>();

    private ServerSessions() {
    }

    /** True when a connection to {@code s} may have to be cut on a state change, so it is worth tracking. */
    public static boolean wanted(Server s) {
        if (s.spec().check().shutdownSessionsOnDown()) {
            return true;
        }
        if (!s.isBackup()) {
            return false;
        }
        for (Server other : s.group().all()) {
            if (!other.isBackup() && other.spec().check().shutdownBackupSessionsOnUp()) {
                return true;
            }
        }
        return false;
    }

    /** Registers an established server connection when {@link #wanted}; it leaves the registry when it closes. */
    public static void track(Server s, Channel ch) {
        if (!wanted(s)) {
            return;
        }
        Set<Channel> set = OPEN.computeIfAbsent(s, k -> ConcurrentHashMap.newKeySet());
        if (set.add(ch)) {
            ch.closeFuture().addListener(f -> set.remove(ch));
        }
    }

    /** Connections currently registered for {@code s}. */
    public static int open(Server s) {
        Set<Channel> set = OPEN.get(s);
        return set == null ? 0 : set.size();
    }

    /**
     * Closes every registered connection of {@code s} (HAProxy's srv_shutdown_streams); the streams using them end
     * as a server abort.
     *
     * @return how many were closed
     */
    static int shutdown(Server s) {
        Set<Channel> set = OPEN.get(s);
        if (set == null) {
            return 0;
        }
        int n = 0;
        for (Channel ch : set.toArray(new Channel[0])) {
            set.remove(ch);
            ch.close();
            n++;
        }
        return n;
    }

    /** Forgets the servers of a stopped backend (reload): their connections close with the old runtime. */
    static void forget(Iterable<Server> servers) {
        for (Server s : servers) {
            OPEN.remove(s);
        }
    }
}
