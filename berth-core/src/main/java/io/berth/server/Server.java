package io.berth.server;

import io.berth.model.ServerSpec;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live server of a backend. Owned by its {@link ServerGroup}; read from every event loop.
 * State and weight change rarely (health checks, runtime API) and are published through volatile fields;
 * whoever changes them calls {@link ServerGroup#stateChanged()} so balancers rebuild their snapshots off the
 * hot path. Connection counts are atomics because leastconn/first read them on every pick.
 */
public final class Server {
    private final ServerSpec spec;
    private final ServerGroup group;
    private final int position;
    private volatile InetSocketAddress address;
    private volatile int weight;
    /**
     * The slowstart ramp, in sixteenths of the user weight (HAProxy's {@code w} in {@code server_recalc_eweight}):
     * 16 except while a server that came back UP warms up. Balancers use {@code weight × ramp}; the user weight
     * ({@code get weight}, {@code set weight}) is never touched by it.
     */
    private volatile int rampSixteenths = FULL_RAMP;
    private volatile boolean adminMaint;
    private volatile boolean adminDrain;
    private volatile boolean healthDown;
    private volatile boolean healthStopping;
    /** Wall-clock time (epoch ms) of the last operational or administrative state change (HAProxy's last_change). */
    private volatile long lastChangeMs = System.currentTimeMillis();

    /** {@link #rampSixteenths()} outside a slowstart. */
    public static final int FULL_RAMP = 16;

    private final AtomicInteger maintEntries = new AtomicInteger();
    /** Requests/connections currently being served (HAProxy's {@code served}). */
    public final AtomicInteger currentConns = new AtomicInteger();
    /** Total connections/requests sent to this server ({@code lbtot}). */
    public final AtomicLong totalConns = new AtomicLong();
    /** Bytes, status classes, errors, maxima, rates and timers ({@code show stat}, stats page, Prometheus). */
    public final TrafficCounters counters = new TrafficCounters();

    Server(ServerSpec spec, ServerGroup group, int position, InetSocketAddress address) {
        this.spec = spec;
        this.group = group;
        this.position = position;
        this.address = address;
        this.weight = spec.weight();
        this.adminMaint = spec.disabled();
    }

    public ServerSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** HAProxy's {@code puid}: the configured {@code id}, or the 1-based position. */
    public int id() {
        return spec.id();
    }

    /** 0-based position in the backend's declaration order. */
    public int position() {
        return position;
    }

    public boolean isBackup() {
        return spec.backup();
    }

    public ServerGroup group() {
        return group;
    }

    public InetSocketAddress address() {
        return address;
    }

    public void setAddress(InetSocketAddress address) {
        this.address = address;
        group.stateChanged();
    }

    /** Current (user) weight, 0..256. */
    public int weight() {
        return weight;
    }

    public void setWeight(int weight) {
        this.weight = weight;
        group.stateChanged();
    }

    /** The slowstart ramp in sixteenths of the weight: {@link #FULL_RAMP} when none runs. */
    public int rampSixteenths() {
        return rampSixteenths;
    }

    /** Sets the slowstart ramp (1..{@link #FULL_RAMP}); balancers rebuild when it moves. */
    public void setRamp(int sixteenths) {
        if (rampSixteenths != sixteenths) {
            rampSixteenths = sixteenths;
            group.stateChanged();
        }
    }

    /**
     * The weight {@code show stat} prints: the user weight scaled by the ramp, rounded up (HAProxy's
     * {@code (cur_eweight × wmult + wdiv − 1) / wdiv} for the dynamic algorithms that ramp).
     */
    public int shownWeight() {
        return (weight * rampSixteenths + FULL_RAMP - 1) / FULL_RAMP;
    }

    public void setAdminMaint(boolean maint) {
        if (this.adminMaint != maint) {
            lastChangeMs = System.currentTimeMillis();
            if (maint) {
                maintEntries.incrementAndGet();
            }
        }
        this.adminMaint = maint;
        group.stateChanged();
    }

    /**
     * How many times the server entered MAINT: the health checks, told of admin changes asynchronously, learn
     * from it that a maintenance came and went between two looks (a {@code disable server} right followed by
     * {@code enable server}), which must still reset the health and start the slowstart ramp.
     */
    public int maintEntries() {
        return maintEntries.get();
    }

    public void setAdminDrain(boolean drain) {
        if (this.adminDrain != drain) {
            lastChangeMs = System.currentTimeMillis();
        }
        this.adminDrain = drain;
        group.stateChanged();
    }

    public void setHealthDown(boolean down) {
        if (this.healthDown != down) {
            lastChangeMs = System.currentTimeMillis();
        }
        this.healthDown = down;
        group.stateChanged();
    }

    public void setHealthStopping(boolean stopping) {
        if (this.healthStopping != stopping) {
            lastChangeMs = System.currentTimeMillis();
        }
        this.healthStopping = stopping;
        group.stateChanged();
    }

    /** The weight written in the configuration (HAProxy's {@code iweight}), for {@code set weight N%}. */
    public int initialWeight() {
        return spec.weight();
    }

    /** The health checks (or the runtime API) hold this server DOWN. */
    public boolean isHealthDown() {
        return healthDown;
    }

    /** Marked stopping (NOLB) by {@code set server b/s health stopping} or {@code disable-on-404}. */
    public boolean isHealthStopping() {
        return healthStopping;
    }

    /** Epoch ms of the last state change (start-up time until the first one), for {@code lastchg}. */
    public long lastChangeMs() {
        return lastChangeMs;
    }

    public boolean isAdminMaint() {
        return adminMaint;
    }

    public boolean isAdminDrain() {
        return adminDrain;
    }

    public ServerState state() {
        if (adminMaint) {
            return ServerState.MAINT;
        }
        if (healthDown) {
            return ServerState.DOWN;
        }
        if (adminDrain || weight == 0) {
            return ServerState.DRAIN;
        }
        if (healthStopping) {
            return ServerState.NOLB;
        }
        return ServerState.UP;
    }

    /** Usable for load balancing: UP with a weight above zero. */
    public boolean isUsable() {
        return state() == ServerState.UP && weight > 0;
    }

    /** Has a free slot under its {@code maxconn} (always true when unlimited). */
    public boolean hasFreeSlot() {
        int max = spec.maxconn();
        return max == 0 || currentConns.get() < max;
    }

    @Override
    public String toString() {
        return group.backendName() + "/" + spec.name();
    }
}
