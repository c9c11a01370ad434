package io.berth.health;

import io.berth.model.CheckSpec;
import io.berth.server.Server;
import io.berth.server.ServerState;

/**
 * The health state machine of one checked server: HAProxy's counter {@code check->health} and the UP/DOWN
 * decisions of {@code set_server_check_status} and {@code check_notify_*} (src/check.c). It drives
 * {@link Server#setHealthDown} and emits the log lines. No sockets or timers: {@link ServerCheck} feeds it
 * outcomes. Confined to the server's check event loop; readers use {@link #snapshot()}.
 *
 * <p>The counter h lives in [0, rise+fall-1]; the server is UP iff h >= rise. It starts at h = rise, so the
 * first failure at startup marks the server DOWN. A failure decrements h and drops it to 0 once below rise;
 * a success increments it and jumps to rise+fall-1 on reaching rise. Example, rise 2 fall 3: h = 2 → fail → 0
 * (DOWN); → ok → 1 (DOWN 1/2) → ok → 4 (UP); → fail → 3 (UP 2/3) → 2 (UP 1/3) → fail → 0 (DOWN).
 */
public final class ServerHealth {
    private final Server server;
    private final CheckSpec spec;
    private final HealthEventSink sink;
    private final HealthOptions options;

    private int health;
    private boolean down;
    private boolean paused;
    /** {@link Server#maintEntries()} at the last {@link #syncMaintenance}. */
    private int maintEntriesSeen;
    /** {@code disable health} from the runtime API: no checks run, results are not applied (CHK_ST_ENABLED off). */
    private volatile boolean disabledByCli;
    private boolean inProgress;
    private CheckOutcome last = new CheckOutcome(CheckStatus.INI, 0, "", -1);
    private long lastChangeMs;
    private volatile CheckState snapshot;
    /** {@code slowstart}: set by {@link HealthChecks} when the server has one and the algorithm is dynamic. */
    private SlowStart slowStart;
    /** {@code observe}: consecutive errors seen by the data plane (HAProxy's consecutive_errors); any thread. */
    private final java.util.concurrent.atomic.AtomicInteger consecutiveErrors =
            new java.util.concurrent.atomic.AtomicInteger();
    /** A passive-health error asked for the next check at fastinter (HAProxy's CHK_ST_FASTINTER). */
    private boolean fastinterForced;
    /** While {@link #analyze} runs: the server's sessions when the error was seen, for the DOWN line; else -1. */
    private int sessionsSeen = -1;

    /**
     * @param server the live server; a server in MAINT ({@code disabled}) starts paused with h = 0
     */
    public ServerHealth(Server server, HealthEventSink sink, HealthOptions options) {
        this.server = server;
        this.spec = server.spec().check();
        this.sink = sink;
        this.options = options;
        this.lastChangeMs = System.currentTimeMillis();
        this.maintEntriesSeen = server.maintEntries();
        if (server.isAdminMaint()) {
            // src/server.c srv_parse_disabled: next_state STOPPED, health 0, check paused.
            health = 0;
            down = true;
            paused = true;
        } else if (server.isHealthDown()) {
            // Carried DOWN across a reload (server-state-file semantics): it must pass `rise` checks again.
            health = 0;
            down = true;
        } else {
            health = spec.rise();
        }
        publish();
    }

    public Server server() {
        return server;
    }

    int health() {
        return health;
    }

    boolean isDown() {
        return down;
    }

    /**
     * Applies one finished check. Ordered exactly as HAProxy: update status and counter, log the check line
     * (log-health-checks, when the status changed or the counter moved), then mark the server DOWN when h hit 0
     * or UP when h reached rise.
     */
    public void apply(CheckOutcome o) {
        CheckStatus prev = last.status();
        last = o;
        inProgress = false;
        CheckResult result = o.status().result();
        if (result == CheckResult.PASSED || result == CheckResult.CONDPASS) {
            consecutiveErrors.set(0); // src/check.c set_server_check_status clears it on any success
        }
        if (result == CheckResult.NEUTRAL || paused || disabledByCli) {
            publish();
            return;
        }
        int rise = spec.rise();
        int fall = spec.fall();
        boolean report = false;
        if (result == CheckResult.FAILED) {
            if (health > 0) {
                report = true;
                health--;
                if (health < rise) {
                    health = 0;
                }
            }
        } else if (result == CheckResult.PASSED || result == CheckResult.CONDPASS) {
            if (health < rise + fall - 1) {
                report = true;
                health++;
                if (health >= rise) {
                    health = rise + fall - 1;
                }
            }
        }
        if (options.logHealthChecks() && (o.status() != prev || report)) {
            sink.event("notice", HealthMessages.checkLine(server, o, health, rise, fall));
        }
        CheckOutcome reason = options.logHealthChecks() ? null : o;
        if (result == CheckResult.FAILED && health == 0) {
            markDown(reason);
        } else if (result != CheckResult.FAILED && health >= rise) {
            markUp(reason);
        }
        publish();
    }

    /** src/server.c srv_set_stopped + srv_update_status: ignored in MAINT or when already DOWN. */
    private void markDown(CheckOutcome reason) {
        if (server.isAdminMaint() || down) {
            return;
        }
        boolean wasStopping = server.isAdminDrain() || server.state() == ServerState.NOLB;
        int before = HealthMessages.activeUsable(server.group()) + HealthMessages.backupUsable(server.group());
        down = true;
        lastChangeMs = System.currentTimeMillis();
        server.setHealthDown(true);
        if (slowStart != null) {
            slowStart.serverDown();
        }
        // HAProxy sends no alert for a server that was already draining or stopping.
        // HAProxy counts cur_sess where the stream reporting a passive-health error still holds its slot.
        int sessions = sessionsSeen >= 0 ? sessionsSeen : server.currentConns.get();
        sink.event(wasStopping ? "notice" : "alert", HealthMessages.stateLine(server, true, reason, sessions));
        noServerCheck(before);
        if (spec.shutdownSessionsOnDown()) {
            // on-marked-down shutdown-sessions (srv_shutdown_streams)
            ServerSessions.shutdown(server, ServerSessions.Kill.SERVER_DOWN);
        }
    }

    /** src/server.c srv_set_running + srv_update_status: ignored in MAINT or when already UP. */
    private void markUp(CheckOutcome reason) {
        if (server.isAdminMaint() || !down) {
            return;
        }
        int before = HealthMessages.activeUsable(server.group()) + HealthMessages.backupUsable(server.group());
        down = false;
        lastChangeMs = System.currentTimeMillis();
        if (slowStart != null) {
            slowStart.serverUp();
        }
        server.setHealthDown(false);
        sink.event("notice", HealthMessages.stateLine(server, false, reason));
        noServerCheck(before);
        shutdownBackupSessions();
    }

    /** {@code on-marked-up shutdown-backup-sessions}: an active server with weight takes over from the backups. */
    private void shutdownBackupSessions() {
        if (!spec.shutdownBackupSessionsOnUp() || server.isBackup() || server.weight() == 0) {
            return;
        }
        for (Server s : server.group().all()) {
            if (s.isBackup()) {
                ServerSessions.shutdown(s, ServerSessions.Kill.BACKUP_UP);
            }
        }
    }

    /** Installs the {@code slowstart} ramp (before the first check). */
    void slowStart(SlowStart ramp) {
        this.slowStart = ramp;
    }

    /**
     * Passive health, from any thread: counts one observation of the live traffic under the server's {@code observe}
     * mode (src/check.c __health_adjust). A success clears the count of consecutive errors; an error increments it
     * and, on reaching {@code error-limit}, clears it and returns true: the caller then runs {@link #analyze} on the
     * check loop. Ignored observations return false.
     */
    boolean count(Observation o) {
        Observation.Kind kind = o.kind(spec.observe());
        if (kind == Observation.Kind.OK) {
            if (consecutiveErrors.get() != 0) {
                consecutiveErrors.set(0);
            }
            return false;
        }
        if (kind != Observation.Kind.ERROR) {
            return false;
        }
        int n = consecutiveErrors.incrementAndGet();
        if (n < spec.errorLimit()) {
            return false;
        }
        consecutiveErrors.set(0);
        return true;
    }

    /**
     * The error limit was reached ({@code last} the last error): applies {@code on-error} as HAProxy does. Every mode
     * forces fastinter for the next check; {@code fail-check} counts one failed check (status HANA, "Detected N
     * consecutive errors, last one was: ..."); {@code sudden-death} first lowers the counter to one failure above
     * DOWN; {@code mark-down} sets it to rise, so this failure marks the server DOWN. On the check loop.
     */
    void analyze(Observation last, int sessions) {
        fastinterForced = true;
        CheckSpec.OnError mode = spec.onError();
        if (mode == CheckSpec.OnError.FASTINTER) {
            publish();
            return;
        }
        if (mode == CheckSpec.OnError.SUDDEN_DEATH && health > spec.rise()) {
            health = spec.rise() + 1;
        } else if (mode == CheckSpec.OnError.MARK_DOWN) {
            health = spec.rise();
        }
        boolean running = inProgress;
        sessionsSeen = sessions;
        try {
            apply(new CheckOutcome(CheckStatus.HANA, 0, "Detected " + spec.errorLimit()
                    + " consecutive errors, last one was: " + last.description(), -1));
        } finally {
            sessionsSeen = -1;
        }
        inProgress = running;
        publish();
    }

    private void noServerCheck(int before) {
        int after = HealthMessages.activeUsable(server.group()) + HealthMessages.backupUsable(server.group());
        if (before > 0 && after == 0) {
            sink.event("emerg", HealthMessages.noServerLine(options.proxyType(), server.group().backendName()) );
        }
    }

    /** Marks a check as started (for {@code show stat}'s {@code * } prefix). */
    void started() {
        fastinterForced = false; // src/check.c process_chk_conn clears CHK_ST_FASTINTER when a check starts
        inProgress = true;
        publish();
    }

    /**
     * Reacts to the server entering or leaving MAINT (src/server.c srv_update_status): entering pauses the
     * checks with h = 0 and the server stopped; leaving resumes them with h = rise ("start OK but check
     * immediately"), which puts the server back UP. The admin-change log lines belong to whoever changed the
     * admin state (runtime API).
     *
     * A maintenance that came and went since the last call (the admin changes are told asynchronously) counts as
     * entered and left.
     *
     * @return true when the state changed (leaving MAINT: the caller should check at once)
     */
    boolean syncMaintenance() {
        boolean maint = server.isAdminMaint();
        int entries = server.maintEntries();
        boolean entered = entries != maintEntriesSeen;
        maintEntriesSeen = entries;
        boolean changed = false;
        if ((maint || entered) && !paused) {
            paused = true;
            health = 0;
            if (slowStart != null) {
                slowStart.serverDown();
            }
            if (!down) {
                down = true;
                lastChangeMs = System.currentTimeMillis();
                server.setHealthDown(true);
            }
            publish();
            changed = true;
        }
        if (!maint && paused) {
            paused = false;
            health = spec.rise();
            if (slowStart != null) {
                slowStart.serverUp();
            }
            if (down) {
                down = false;
                lastChangeMs = System.currentTimeMillis();
                server.setHealthDown(false);
            }
            publish();
            changed = true;
        }
        return changed;
    }

    /** {@code enable health} / {@code disable health}: resumes or suspends this server's checks. Any thread. */
    public void setChecksEnabled(boolean enabled) {
        disabledByCli = !enabled;
    }

    /** False after {@code disable health} (HAProxy then clears CHK_ST_ENABLED). */
    public boolean checksEnabled() {
        return !disabledByCli;
    }

    /**
     * {@code set server B/S health up|down} on a checked server: the counter jumps to its top (up) or 0 (down)
     * and the check's view follows the server, which the runtime API has already marked (and logged, "changed
     * from CLI"), so nothing is logged here; the next checks decide again. Runs on the check's event loop.
     */
    void force(boolean up) {
        health = up ? spec.rise() + spec.fall() - 1 : 0;
        if (down == up) {
            down = !up;
            lastChangeMs = System.currentTimeMillis();
        }
        if (!server.isAdminMaint()) {
            server.setHealthDown(!up);
        }
        publish();
    }

    boolean isPaused() {
        return paused;
    }

    /**
     * Delay before the next check, HAProxy's {@code srv_getinter}: inter when h is at the top, downinter when
     * the server is DOWN with h = 0, fastinter in between (so also at startup, where h = rise).
     */
    public long nextInterval() {
        // a passive-health error (fastinterForced) moves a fully UP server to fastinter until the next check starts
        if (!fastinterForced && health == spec.rise() + spec.fall() - 1) {
            return spec.interMs();
        }
        if (down && health == 0) {
            return spec.downInterMs() > 0 ? spec.downInterMs() : spec.interMs();
        }
        return spec.fastInterMs() > 0 ? spec.fastInterMs() : spec.interMs();
    }

    public CheckState snapshot() {
        return snapshot;
    }

    private void publish() {
        snapshot = new CheckState(server.name(), last.status(), last.code(), last.info(), last.durationMs(), health,
                spec.rise(), spec.fall(), down, paused, inProgress, statusText(), lastChangeMs);
    }

    /** {@code show stat} status, src/stats.c stats_fill_sv_stats_computestate + srv_hlt_st. */
    private String statusText() {
        if (server.isAdminMaint()) {
            return "MAINT";
        }
        int rise = spec.rise();
        int fall = spec.fall();
        if (down) {
            return health == 0 ? "DOWN" : "DOWN " + health + "/" + rise;
        }
        boolean goingDown = health < rise + fall - 1;
        String counts = " " + (health - rise + 1) + "/" + fall;
        if (server.state() == ServerState.NOLB) {
            return goingDown ? "NOLB" + counts : "NOLB";
        }
        if (server.isAdminDrain()) {
            return goingDown ? "DRAIN" + counts : "DRAIN";
        }
        return goingDown ? "UP" + counts : "UP";
    }
}
