package io.berth.server;

/**
 * What a server can do right now, derived from its operational and administrative state, as HAProxy reports it.
 * UP takes new traffic; DRAIN and NOLB keep persistent clients only; MAINT and DOWN take nothing (unless
 * {@code option persist}/{@code force-persist}).
 */
public enum ServerState {
    UP, DRAIN, NOLB, MAINT, DOWN;

    /** Takes load-balanced (non-persistent) traffic. */
    public boolean takesNewTraffic() {
        return this == UP;
    }

    /** HAProxy's "running": persistent traffic (cookie, stick entry) still goes there. */
    public boolean isRunning() {
        return this == UP || this == DRAIN || this == NOLB;
    }
}
