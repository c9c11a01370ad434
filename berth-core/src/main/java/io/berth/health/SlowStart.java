package io.berth.health;

import io.berth.server.Server;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * {@code slowstart T}: after a server comes back UP (checks or leaving MAINT) its weight ramps up over T instead of
 * taking full load at once; HAProxy's {@code server_recalc_eweight} and {@code server_warmup} (src/server.c). Only
 * for algorithms whose weights can change on the fly (not static-rr or map-based hashing). Runs on the server's
 * check event loop; the ramp goes through {@link Server#setRamp}, so the balancers rebuild their snapshots via
 * {@code ServerGroup.onChange}, while the user weight stays what it is ({@code get weight}, and a {@code set
 * weight} during the ramp applies at once, the ramp going on over the new weight, as in HAProxy).
 *
 * <p>HAProxy's arithmetic, with S the slowstart in whole seconds and e the whole seconds since the server came UP:
 * the effective weight is {@code w = (16 * e + S) / S} sixteenths of the user weight, re-evaluated every second
 * (its warm-up task wakes every max(1000, S / 20) ms, S being in seconds), full weight once e ≥ S. {@code show stat}
 * prints ceil(uweight × w / 16). Example, uweight 32, slowstart 4s: 0 s → w 1 → shown 2; 1 s → w 5 → 10; 2 s → w 9 →
 * 18; 3 s → w 13 → 26; 4 s → 32, done. A server of weight 1 starts at 1/16 of the others' share per unit of weight.
 */
final class SlowStart {
    private final EventLoop loop;
    private final Server server;
    private final long slowstartSec;
    private ScheduledFuture<?> next;
    private long upAtMs;
    private boolean ramping;

    SlowStart(EventLoop loop, Server server, long slowstartMs) {
        this.loop = loop;
        this.server = server;
        this.slowstartSec = Math.max(1, slowstartMs / 1000);
    }

    /**
     * The server comes UP: start the ramp from its first step. Called before the server is marked UP, so that no
     * balancer sees it at full weight in between. On the check loop.
     */
    void serverUp() {
        upAtMs = System.currentTimeMillis();
        ramping = true;
        step();
    }

    /** The server went DOWN or into MAINT: the ramp stops (the next UP starts another). On the check loop. */
    void serverDown() {
        if (ramping) {
            cancel();
            ramping = false;
            server.setRamp(Server.FULL_RAMP);
        }
    }

    /** HAProxy's eweight in sixteenths after {@code elapsedSec} whole seconds: 16 means full weight. */
    static int sixteenths(long elapsedSec, long slowstartSec) {
        return (int) (elapsedSec >= slowstartSec ? Server.FULL_RAMP
                : (Server.FULL_RAMP * elapsedSec + slowstartSec) / slowstartSec);
    }

    /** The weight {@code show stat} prints after {@code elapsedSec} for user weight {@code uweight}. */
    static int weightAt(int uweight, long elapsedSec, long slowstartSec) {
        return (uweight * sixteenths(elapsedSec, slowstartSec) + Server.FULL_RAMP - 1) / Server.FULL_RAMP;
    }

    private void step() {
        if (!ramping) {
            return;
        }
        long elapsed = (System.currentTimeMillis() - upAtMs) / 1000;
        int w = sixteenths(elapsed, slowstartSec);
        server.setRamp(w);
        if (w == Server.FULL_RAMP) {
            ramping = false;
            return;
        }
        cancel();
        next = loop.schedule(this::step, 1000, TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }
}
