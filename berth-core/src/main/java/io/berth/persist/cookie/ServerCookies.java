package io.berth.persist.cookie;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The cookie value of every server of a backend, in declaration order: the {@code cookie VALUE} argument, else
 * the dynamic cookie when {@code cookie ... dynamic} and {@code dynamic-cookie-key} are set, else none (null).
 * Immutable snapshot, rebuilt off the hot path when a server's address changes (dynamic cookies follow the address,
 * as HAProxy recomputes them on {@code set server addr}); read by every event loop.
 */
final class ServerCookies {
    final Server[] servers;
    final String[] cookies;
    /** The Set-Cookie value inserted for each server when it never changes (see ResponseCookies), else null. */
    final String[] inserts;

    private ServerCookies(Server[] servers, String[] cookies, String[] inserts) {
        this.servers = servers;
        this.cookies = cookies;
        this.inserts = inserts;
    }

    static ServerCookies of(ServerGroup group, boolean dynamic, String key) {
        return of(group, dynamic, key, c -> null);
    }

    static ServerCookies of(ServerGroup group, boolean dynamic, String key, UnaryOperator<String> insert) {
        List<Server> all = group.all();
        Server[] servers = all.toArray(new Server[0]);
        String[] cookies = new String[servers.length];
        for (int i = 0; i < servers.length; i++) {
            String explicit = servers[i].spec().cookie();
            cookies[i] = explicit != null ? explicit
                    : dynamic && key != null ? DynamicCookie.of(key, servers[i].address()) : null;
        }
        String[] inserts = new String[servers.length];
        for (int i = 0; i < servers.length; i++) {
            inserts[i] = insert.apply(cookies[i]);
        }
        return new ServerCookies(servers, cookies, inserts);
    }

    /** The position of {@code server} in declaration order, or -1. */
    int indexOf(Server server) {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] == server) {
                return i;
            }
        }
        return -1;
    }

    /** The cookie value of {@code server}, or null when it has none. */
    String cookieOf(Server server) {
        int i = indexOf(server);
        return i < 0 ? null : cookies[i];
    }
}
