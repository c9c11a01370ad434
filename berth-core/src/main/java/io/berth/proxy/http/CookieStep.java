package io.berth.proxy.http;

import io.berth.persist.cookie.CookiePersistence;
import io.berth.persist.cookie.CookieState;
import io.berth.persist.cookie.PersistRules;
import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;
import io.netty.handler.codec.http.HttpHeaders;


/**
 * Hooks cookie persistence ({@code persist/cookie}) into an HTTP transaction: the request step before balancing
 * and the response step before the response head goes to the client, over Netty headers. The backend's
 * {@link CookiePersistence} and persist rules are built with the runtime ({@link RuntimeBackend#cookie()}).
 * Event-loop threads only.
 */
final class CookieStep {
    private CookieStep() {
    }

    /** The request step; returns the server the cookie designates, or null to balance. */
    static Server request(HttpTransaction tx, RuntimeBackend be, HttpHeaders headers) {
        CookiePersistence cp = be.cookie();
        tx.cookiePersistence = cp;
        if (cp == null) {
            return null;
        }
        CookieState st = tx.cookie;
        PersistRules.Verdict v = be.persistRules().evaluate(tx);
        st.persistRules(v == PersistRules.Verdict.FORCE, v == PersistRules.Verdict.IGNORE);
        cp.onRequest(new NettyHeaderAccess(headers), st, System.currentTimeMillis() / 1000);
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
        cp.onResponse(new NettyHeaderAccess(headers), tx.method(), tx.status, tx.server, tx.cookie,
                System.currentTimeMillis() / 1000);
    }

    /** Chars 3–4 of the termination state. */
    static String letters(HttpTransaction tx) {
        return CookiePersistence.letters(tx.cookiePersistence, tx.cookie);
    }
}
