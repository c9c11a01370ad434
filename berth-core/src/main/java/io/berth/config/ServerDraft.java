package io.berth.config;

import io.berth.model.CheckSpec;
import io.berth.model.Location;
import io.berth.model.ServerSpec;
import io.berth.model.ServerTlsSpec;

/**
 * A {@code server} (or {@code default-server}) line while it is being parsed: starts as a copy of the proxy's
 * default-server, each argument handler sets fields, {@link #freeze(int)} makes the record. Lives only on the
 * parser thread.
 */
public final class ServerDraft {
    public String name;
    public Location location;
    public String host;
    public int port;
    public int weight = 1;
    public boolean backup;
    public int maxconn;
    public boolean disabled;
    public int id;
    public String cookie;
    public boolean check;
    public long inter = 2000;
    /** -1 = same as inter. */
    public long fastInter = -1;
    /** -1 = same as inter. */
    public long downInter = -1;
    public int rise = 2;
    public int fall = 3;
    public int checkPort;
    public String checkAddr;
    /** {@code maxqueue}, 0 = unlimited. */
    public int maxqueue;
    /** {@code non-stick}: never stored by stick rules. */
    public boolean nonStick;
    /** {@code observe}, {@code error-limit}, {@code on-error}, {@code on-marked-*}, {@code slowstart} (health/). */
    public CheckSpec.Observe observe = CheckSpec.Observe.NONE;
    public int errorLimit = CheckSpec.DEFAULT_ERROR_LIMIT;
    public CheckSpec.OnError onError = CheckSpec.OnError.FAIL_CHECK;
    public boolean shutdownSessionsOnDown;
    public boolean shutdownBackupSessionsOnUp;
    public long slowstartMs;
    /** {@code ssl}, {@code verify}, {@code ca-file}, {@code crt}, {@code sni}, {@code check-ssl} (ServerTlsArguments). */
    public ServerTlsSpec tls = ServerTlsSpec.NONE;

    public ServerDraft() {
    }

    /** A copy of {@code defaults} (the default-server line) for a new server. */
    public ServerDraft(ServerDraft defaults) {
        weight = defaults.weight;
        backup = defaults.backup;
        maxconn = defaults.maxconn;
        disabled = defaults.disabled;
        cookie = defaults.cookie;
        check = defaults.check;
        inter = defaults.inter;
        fastInter = defaults.fastInter;
        downInter = defaults.downInter;
        rise = defaults.rise;
        fall = defaults.fall;
        checkPort = defaults.checkPort;
        checkAddr = defaults.checkAddr;
        maxqueue = defaults.maxqueue;
        nonStick = defaults.nonStick;
        observe = defaults.observe;
        errorLimit = defaults.errorLimit;
        onError = defaults.onError;
        shutdownSessionsOnDown = defaults.shutdownSessionsOnDown;
        shutdownBackupSessionsOnUp = defaults.shutdownBackupSessionsOnUp;
        slowstartMs = defaults.slowstartMs;
        tls = defaults.tls;
    }

    /** The record; {@code position} is the 1-based declaration order used as id unless {@code id N} was set. */
    public ServerSpec freeze(int position) {
        long fast = fastInter < 0 ? inter : fastInter;
        long down = downInter < 0 ? inter : downInter;
        CheckSpec checkSpec = new CheckSpec(check, inter, fast, down, rise, fall, checkPort, checkAddr, observe,
                errorLimit, onError, shutdownSessionsOnDown, shutdownBackupSessionsOnUp, slowstartMs);
        return new ServerSpec(name, location, id > 0 ? id : position, id > 0, host, port, weight, backup, maxconn,
                disabled, cookie, checkSpec, maxqueue, nonStick, tls);
    }
}
