package io.berth.config;

import io.berth.model.AclSpec;
import io.berth.model.BalanceSpec;
import io.berth.model.BindSpec;
import io.berth.model.CookieSpec;
import io.berth.model.HttpConnectionMode;
import io.berth.model.HttpRuleSpec;
import io.berth.model.Location;
import io.berth.model.LogTargetSpec;
import io.berth.model.Mode;
import io.berth.model.PersistRuleSpec;
import io.berth.model.ProxyOptionsSpec;
import io.berth.model.TimeoutsSpec;
import io.berth.model.UseBackendSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code defaults}, {@code frontend}, {@code backend} or {@code listen} section while it is parsed. A proxy
 * starts as a copy of the defaults section in force ({@link #inherit}); keyword handlers set fields; the
 * {@link ConfigResolver} freezes it into FrontendSpec/BackendSpec. Fields are public because every subsystem's
 * keyword handlers write here. Lives only on the parser thread.
 */
public final class ProxyDraft {
    public final Section section;
    /** The name; null for an anonymous {@code defaults}. */
    public final String name;
    public final Location location;
    public int forcedId;

    public Mode mode = Mode.TCP;
    public final List<BindSpec> binds = new ArrayList<>();
    public String defaultBackend;
    public final List<UseBackendSpec> useBackends = new ArrayList<>();
    public final List<AclSpec> acls = new ArrayList<>();
    /** {@code capture request|response header}, in declaration order. */
    public final List<io.berth.model.CaptureSpec> captures = new ArrayList<>();
    /** {@code capture cookie}: the last one written wins, as in HAProxy. */
    public io.berth.model.CookieCaptureSpec cookieCapture;
    public int maxconn;
    public int retries = 3;
    public final List<HttpRuleSpec> httpRequestRules = new ArrayList<>();
    public final List<HttpRuleSpec> httpResponseRules = new ArrayList<>();
    public final List<LogTargetSpec> logs = new ArrayList<>();
    public final Map<String, Location> serverNames = new LinkedHashMap<>();
    public final List<ServerDraft> servers = new ArrayList<>();
    public ServerDraft defaultServer = new ServerDraft();

    // timeouts, -1 = unset
    public long timeoutConnect = TimeoutsSpec.UNSET;
    public long timeoutClient = TimeoutsSpec.UNSET;
    public long timeoutServer = TimeoutsSpec.UNSET;
    public long timeoutHttpRequest = TimeoutsSpec.UNSET;
    public long timeoutHttpKeepAlive = TimeoutsSpec.UNSET;
    public long timeoutQueue = TimeoutsSpec.UNSET;
    public long timeoutTunnel = TimeoutsSpec.UNSET;
    public long timeoutCheck = TimeoutsSpec.UNSET;
    public long timeoutClientFin = TimeoutsSpec.UNSET;
    public long timeoutServerFin = TimeoutsSpec.UNSET;
    public long timeoutTarpit = TimeoutsSpec.UNSET;

    // options
    public boolean forwardFor;
    public String forwardForHeader = "X-Forwarded-For";
    public String forwardForExcept;
    public boolean forwardForIfNone;
    public boolean httpLog;
    public boolean tcpLog;
    public HttpConnectionMode connectionMode = HttpConnectionMode.KEEP_ALIVE;
    public boolean redispatch;
    public int redispatchInterval = -1;
    public boolean allBackups;
    public boolean persist;
    public boolean dontLogNull;
    public boolean logHealthChecks;
    /** {@code retry-on} events; HAProxy's default {@code conn-failure}. */
    public java.util.Set<io.berth.model.RetryOn> retryOn = io.berth.model.RetryOn.defaults();

    // balance
    public BalanceSpec.Algorithm algorithm = BalanceSpec.Algorithm.ROUNDROBIN;
    public String balanceArgument;
    public boolean uriWhole;
    public int uriLen;
    public int uriDepth;
    public boolean hdrUseDomainOnly;
    public BalanceSpec.HashType hashType = BalanceSpec.HashType.MAP_BASED;
    public BalanceSpec.HashFunction hashFunction = BalanceSpec.HashFunction.SDBM;
    public boolean avalanche;

    // http check; null until option httpchk / http-check
    public HttpCheckDraft httpCheck;

    // cookie persistence (persist/cookie/CookieKeywords); inherited from defaults as HAProxy's proxy_defproxy_cpy
    public CookieSpec cookie;
    public String dynamicCookieKey;
    /** force-persist / ignore-persist; not allowed in defaults, so never inherited. */
    public final List<PersistRuleSpec> persistRules = new ArrayList<>();

    // stick tables and rules (persist/stick/StickKeywords); not allowed in defaults, so never inherited
    public io.berth.model.StickTableSpec stickTable;
    public final List<io.berth.model.StickRuleSpec> stickRules = new ArrayList<>();

    // tcp-request rules and inspect-delay (config/TcpRequestKeywords); a named defaults' rules come first
    public final List<io.berth.model.TcpRuleSpec> tcpRequestRules = new ArrayList<>();
    public long tcpInspectDelay = TimeoutsSpec.UNSET;
    /** A defaults section with tcp-request rules: the kind of section it serves (the first one that used it). */
    Section rulesServe;

    /** Whether this (defaults) section has rules of its own: HAProxy then limits which sections inherit it. */
    boolean hasRules() {
        return !httpRequestRules.isEmpty() || !httpResponseRules.isEmpty() || !tcpRequestRules.isEmpty();
    }

    public ProxyDraft(Section section, String name, Location location) {
        this.section = section;
        this.name = name;
        this.location = location;
    }

    /** "frontend 'fe'" / "backend 'be'" / "proxy 'l'" as HAProxy names a proxy in messages. */
    public String describe() {
        return switch (section) {
            case FRONTEND -> "frontend '" + name + "'";
            case BACKEND -> "backend '" + name + "'";
            case DEFAULTS -> "defaults '" + (name == null ? "" : name) + "'";
            default -> "proxy '" + name + "'";
        };
    }

    /** Copies every inheritable setting of a defaults section (not binds, servers, ACLs or routing). */
    public void inherit(ProxyDraft d) {
        mode = d.mode;
        maxconn = d.maxconn;
        retries = d.retries;
        // a named defaults' rules run before the proxy's own (HAProxy evaluates its defpx's lists first), with
        // that section's ACLs; a defaults section may not inherit rules (ConfigParser refuses it)
        if (section != Section.DEFAULTS) {
            for (HttpRuleSpec r : d.httpRequestRules) {
                httpRequestRules.add(r.inheritedWith(d.acls));
            }
            for (HttpRuleSpec r : d.httpResponseRules) {
                httpResponseRules.add(r.inheritedWith(d.acls));
            }
            for (io.berth.model.TcpRuleSpec r : d.tcpRequestRules) {
                tcpRequestRules.add(r.inheritedFrom(d.name, d.acls));
            }
        }
        tcpInspectDelay = d.tcpInspectDelay;
        logs.addAll(d.logs);
        defaultServer = new ServerDraft(d.defaultServer);
        if (section.hasFrontend() && d.defaultBackend != null) {
            defaultBackend = d.defaultBackend;
        }
        timeoutConnect = d.timeoutConnect;
        timeoutClient = d.timeoutClient;
        timeoutServer = d.timeoutServer;
        timeoutHttpRequest = d.timeoutHttpRequest;
        timeoutHttpKeepAlive = d.timeoutHttpKeepAlive;
        timeoutQueue = d.timeoutQueue;
        timeoutTunnel = d.timeoutTunnel;
        timeoutCheck = d.timeoutCheck;
        timeoutClientFin = d.timeoutClientFin;
        timeoutServerFin = d.timeoutServerFin;
        timeoutTarpit = d.timeoutTarpit;
        forwardFor = d.forwardFor;
        forwardForHeader = d.forwardForHeader;
        forwardForExcept = d.forwardForExcept;
        forwardForIfNone = d.forwardForIfNone;
        httpLog = d.httpLog;
        tcpLog = d.tcpLog;
        connectionMode = d.connectionMode;
        redispatch = d.redispatch;
        redispatchInterval = d.redispatchInterval;
        allBackups = d.allBackups;
        persist = d.persist;
        dontLogNull = d.dontLogNull;
        logHealthChecks = d.logHealthChecks;
        retryOn = java.util.EnumSet.noneOf(io.berth.model.RetryOn.class);
        retryOn.addAll(d.retryOn);
        algorithm = d.algorithm;
        balanceArgument = d.balanceArgument;
        uriWhole = d.uriWhole;
        uriLen = d.uriLen;
        uriDepth = d.uriDepth;
        hdrUseDomainOnly = d.hdrUseDomainOnly;
        hashType = d.hashType;
        hashFunction = d.hashFunction;
        avalanche = d.avalanche;
        httpCheck = d.httpCheck == null ? null : d.httpCheck.copy();
        cookie = d.cookie;
        dynamicCookieKey = d.dynamicCookieKey;
    }

    public TimeoutsSpec timeouts() {
        return new TimeoutsSpec(timeoutConnect, timeoutClient, timeoutServer, timeoutHttpRequest,
                timeoutHttpKeepAlive, timeoutQueue, timeoutTunnel, timeoutCheck, timeoutClientFin,
                timeoutServerFin, timeoutTarpit);
    }

    public ProxyOptionsSpec options() {
        return new ProxyOptionsSpec(forwardFor, forwardForHeader, forwardForExcept, forwardForIfNone, httpLog,
                tcpLog, connectionMode, redispatch, redispatchInterval, allBackups, persist, dontLogNull,
                logHealthChecks, retryOn);
    }

    public BalanceSpec balance() {
        return new BalanceSpec(algorithm, balanceArgument, uriWhole, uriLen, uriDepth, hdrUseDomainOnly, hashType,
                hashFunction, avalanche);
    }
}
