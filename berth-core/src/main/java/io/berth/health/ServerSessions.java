package io.berth.health;

import io.berth.server.Server;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open server-side connections of the servers whose state changes must cut them: {@code on-marked-down
 * shutdown-sessions} (the server's own) and {@code on-marked-up shutdown-backup-sessions} (the backups of a backend
 * where an active server has it). The data plane registers a connection when it is established (only for those
 * servers, so others cost one flag test); a closed connection leaves by itself. Any thread: concurrent sets, and
 * closing a channel is handed to its own event loop by Netty. A connection it cuts carries the reason as a channel
 * attribute ({@link #killLetter}), so the stream using it logs HAProxy's {@code D} (server down-kill) or {@code U}
 * (backup kill) instead of a plain server abort {@code S}.
 */
public final class ServerSessions {
    private static final Map<Server, Set<Channel>> OPEN = new ConcurrentHashMap<>();
    /** Set just before a cut connection is closed; read by the data plane when it sees the close. */
    private static final AttributeKey<String> KILLED_BY = AttributeKey.valueOf("berth.health.killedBy");

    /** Why a connection is cut: the first letter of the termination state HAProxy logs for its stream. */
    public enum Kill {
        /** {@code on-marked-down shutdown-sessions}: SF_ERR_DOWN, logged {@code D}. */
        SERVER_DOWN("D"),
        /** {@code on-marked-up shutdown-backup-sessions}: SF_ERR_UP, logged {@code U}. */
        BACKUP_UP("U");

        private final String letter;

        Kill(String letter) {
            this.letter = letter;
        }

        public String letter() {
            return letter;
        }
    }

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
     * The termination letter for a server connection this registry cut ({@code "D"} or {@code "U"}), or null when
     * it closed for any other reason (or {@code ch} is null). Called on the connection's event loop when it closes.
     */
    public static String killLetter(Channel ch) {
        if (ch == null || !ch.hasAttr(KILLED_BY)) {
            return null;
        }
        return ch.attr(KILLED_BY).get();
    }

    /**
     * Closes every registered connection of {@code s} (HAProxy's srv_shutdown_streams), marking each with
     * {@code why} first so the stream using it logs {@code D} or {@code U} as HAProxy does.
     *
     * @return how many were closed
     */
    static int shutdown(Server s, Kill why) {
        Set<Channel> set = OPEN.get(s);
        if (set == null) {
            return 0;
        }
        int n = 0;
        for (Channel ch : set.toArray(new Channel[0])) {
            set.remove(ch);
            // the attribute is set before close() is handed to the channel's loop, so the close handler sees it
            ch.attr(KILLED_BY).set(why.letter());
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
