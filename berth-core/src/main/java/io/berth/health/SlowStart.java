package io.berth.health;

import io.berth.server.Server;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * {@code slowstart T}: after a server comes back UP (checks or leaving MAINT) its weight ramps up over T instead of
 * taking full load at once; HAProxy's {@code server_recalc_eweight} and {@code server_warmup} (src/server.c). Only
 * for algorithms whose weights can change on the fly (not static-rr or map-based hashing). Runs on the server's
 * check event loop; the weight changes go through {@link Server#setWeight}, so the balancers rebuild their snapshots
 * via {@code ServerGroup.onChange}.
 *
 * <p>HAProxy's arithmetic, with S the slowstart in whole seconds and e the whole seconds since the server came UP:
 * {@code w = (16 * e + S) / S} sixteenths of the user weight, re-evaluated every second (its warm-up task wakes
 * every max(1000, S / 20) ms, S being in seconds), full weight once e ≥ S. The weight HAProxy's {@code show stat}
 * reports is then ceil(uweight × w / 16), which is what is set here. Example, uweight 32, slowstart 4s: 0 s → w 1 →
 * weight 2; 1 s → w 5 → 10; 2 s → w 9 → 18; 3 s → w 13 → 26; 4 s → 32, done. A weight of 1 cannot go lower: sub-unit steps
 * would need an effective weight on {@link Server} beside the user weight.
 */
final class SlowStart {
    private final EventLoop loop;
    private final Server server;
    private final long slowstartSec;
    private ScheduledFuture<?> next;
    private long upAtMs;
    /** The user weight being ramped up to; -1 when no ramp runs. */
    private int target = -1;
    private int lastSet;

    SlowStart(EventLoop loop, Server server, long slowstartMs) {
        this.loop = loop;
        this.server = server;
        this.slowstartSec = Math.max(1, slowstartMs / 1000);
    }

    /** The server just came UP: start the ramp from its first step. On the check loop. */
    void serverUp() {
        if (target < 0) {
            target = server.weight();
        }
        if (target == 0) {
            target = -1;
            return;
        }
        upAtMs = System.currentTimeMillis();
        lastSet = 0;
        step();
    }

    /** The server went DOWN or into MAINT: the ramp stops and the user weight is put back. On the check loop. */
    void serverDown() {
        if (target >= 0) {
            cancel();
            if (server.weight() == lastSet) {
                server.setWeight(target);
            }
            target = -1;
        }
    }

    /** True while the weight is below its user value because of the ramp. */
    boolean ramping() {
        return target >= 0;
    }

    /** HAProxy's eweight in sixteenths after {@code elapsedSec} whole seconds: 16 means full weight. */
    static long sixteenths(long elapsedSec, long slowstartSec) {
        return elapsedSec >= slowstartSec ? 16 : (16 * elapsedSec + slowstartSec) / slowstartSec;
    }

    /** The weight set after {@code elapsedSec} for user weight {@code uweight}: ceil(uweight × w / 16), at least 1. */
    static int weightAt(int uweight, long elapsedSec, long slowstartSec) {
        long w = sixteenths(elapsedSec, slowstartSec);
        return (int) Math.max(1, (uweight * w + 15) / 16);
    }

    private void step() {
        if (target < 0) {
            return;
        }
        if (lastSet != 0 && server.weight() != lastSet) {
            // someone (runtime API `set weight`) changed the weight meanwhile: theirs wins, the ramp ends
            target = -1;
            return;
        }
        long elapsed = (System.currentTimeMillis() - upAtMs) / 1000;
        if (elapsed >= slowstartSec) {
            int full = target;
            target = -1;
            lastSet = 0;
            server.setWeight(full);
            return;
        }
        lastSet = weightAt(target, elapsed, slowstartSec);
        server.setWeight(lastSet);
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
