package io.berth.proxy.http;

import io.berth.persist.cookie.CookiePersistence;
import io.berth.persist.cookie.CookieState;
import io.berth.persist.cookie.HeaderAccess;
import io.berth.persist.cookie.PersistRules;
import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hooks cookie persistence ({@code persist/cookie}) into an HTTP transaction: the request step before balancing
 * and the response step before the response head goes to the client, over Netty headers. The per-backend
 * {@link CookiePersistence} is built on first use and kept per {@link RuntimeBackend} (identity; a reload builds new
 * backends, the old entries go with them) until RuntimeBackend carries it itself. Event-loop threads only.
 */
final class CookieStep {
    private static final Map<RuntimeBackend, Optional<CookiePersistence>> BY_BACKEND =
            java.util.Collections.synchronizedMap(new WeakHashMap<>());
    private static final Map<RuntimeBackend, Optional<CookiePersistence>> FAST = new ConcurrentHashMap<>();

    private CookieStep() {
    }

    static CookiePersistence of(RuntimeBackend be) {
        Optional<CookiePersistence> cp = FAST.get(be);
        if (cp == null) {
            cp = BY_BACKEND.computeIfAbsent(be, b -> Optional.ofNullable(
                    CookiePersistence.create(b.spec(), b.servers())));
            if (FAST.size() > 256) {
                FAST.clear();
            }
            FAST.put(be, cp);
        }
        return cp.orElse(null);
    }

    /** The request step; returns the server the cookie designates, or null to balance. */
    static Server request(HttpTransaction tx, RuntimeBackend be, HttpHeaders headers) {
        CookiePersistence cp = of(be);
        tx.cookiePersistence = cp;
        if (cp == null) {
            return null;
        }
        CookieState st = tx.cookie;
        PersistRules.Verdict v = cp.persistRules().evaluate(tx);
        st.persistRules(v == PersistRules.Verdict.FORCE, v == PersistRules.Verdict.IGNORE);
        cp.onRequest(new NettyHeaders(headers), st, System.currentTimeMillis() / 1000);
        return st.target();
    }

    /** The response step for a response from {@code server}. */
    static void response(HttpTransaction tx, HttpHeaders headers) {
        CookiePersistence cp = tx.cookiePersistence;
        if (cp == null || tx.server == null) {
            return;
        }
        if (tx.redispatched || (tx.cookie.target() != null && tx.cookie.target() != tx.server)) {
            tx.cookie.redispatched();
        }
        cp.onResponse(new NettyHeaders(headers), tx.method(), tx.status, tx.server, tx.cookie,
                System.currentTimeMillis() / 1000);
    }

    /** Chars 3–4 of the termination state. */
    static String letters(HttpTransaction tx) {
        return CookiePersistence.letters(tx.cookiePersistence, tx.cookie);
    }

    private record NettyHeaders(HttpHeaders headers) implements HeaderAccess {
        @Override
        public List<String> all(String name) {
            return headers.getAll(name);
        }

        @Override
        public void replace(String name, List<String> values) {
            headers.remove(name);
            for (String v : values) {
                headers.add(name, v);
            }
        }

        @Override
        public void add(String name, String value) {
            headers.add(name, value);
        }
    }
}
