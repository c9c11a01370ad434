package io.berth.persist.cookie;

import io.berth.server.Server;

/**
 * What cookie persistence decided for one HTTP transaction: the request letter ({@code N I D V E O U}), the
 * response letter ({@code N P D I R U}), the server the cookie designates, whether the client came "direct" (HAProxy's
 * {@code SF_DIRECT}) and the dates read from the cookie. One per transaction, reusable through {@link #reset()};
 * touched only by the transaction's event loop.
 */
public final class CookieState {
    char request = 'N';
    char response = 'N';
    Server target;
    boolean direct;
    boolean assigned;
    boolean forcePersist;
    boolean ignorePersist;
    /** Dates from the cookie in seconds (HAProxy's 32-bit unsigned {@code cookie_last_date}), 0 = none. */
    int lastDate;
    int firstDate;

    /** Ready for the next transaction on the same connection. */
    public void reset() {
        request = 'N';
        response = 'N';
        target = null;
        direct = false;
        assigned = false;
        forcePersist = false;
        ignorePersist = false;
        lastDate = 0;
        firstDate = 0;
    }

    /** The server named by a usable cookie (or forced by persist), or null: then the balancer chooses. */
    public Server target() {
        return target;
    }

    /** The client came with a cookie naming the server that serves it (HAProxy's {@code SF_DIRECT}). */
    public boolean direct() {
        return direct;
    }

    /** A {@code force-persist} rule matched. */
    public boolean forcePersist() {
        return forcePersist;
    }

    /** An {@code ignore-persist} rule matched: no cookie is used and none is inserted. */
    public boolean ignorePersist() {
        return ignorePersist;
    }

    /** Sets the result of the {@code force-persist}/{@code ignore-persist} rules, before {@link CookiePersistence#onRequest}. */
    public void persistRules(boolean force, boolean ignore) {
        this.forcePersist = force;
        this.ignorePersist = ignore;
    }

    /**
     * The stream was already given a server before the cookie step ({@code use-server}, HAProxy's
     * {@code SF_ASSIGNED}): a cookie is then read but not used ({@code U}).
     */
    public void alreadyAssigned() {
        this.assigned = true;
    }

    /**
     * The connection to the cookie's server failed and the request goes back to load balancing (redispatch): as
     * HAProxy's {@code sess_update_st_cer}, a valid cookie becomes {@code D} and the client is no longer direct, so
     * the response inserts a cookie for the new server.
     */
    public void redispatched() {
        if (request == 'V') {
            request = 'D';
        }
        direct = false;
        assigned = false;
        target = null;
    }

    public char requestLetter() {
        return request;
    }

    public char responseLetter() {
        return response;
    }

    @Override
    public String toString() {
        return "" + request + response + (target == null ? "" : " -> " + target);
    }
}
