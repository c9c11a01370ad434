package io.berth.api;

import io.berth.model.FrontendSpec;
import io.berth.model.UseBackendSpec;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.berth.server.Server;
import io.berth.server.TrafficCounters;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code show stat}: HAProxy 2.6's CSV (src/stats.c), 128 columns with a trailing comma; per proxy a FRONTEND
 * row, one row per server and a BACKEND row, each column empty where HAProxy leaves it empty for that row type.
 * Traffic figures come from each proxy's and server's {@code TrafficCounters}; those Berth does not keep
 * (queues, compression, cache, check failure counts, idle-connection estimates) are printed as 0. {@code addr}, {@code algo} need operator level, as HAProxy hides legends from users.
 * Stateless; runs on the socket thread.
 */
final class StatCsv {
    static final String HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,"
            + "wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,"
            + "tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,"
            + "hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,"
            + "comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,"
            + "agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,"
            + "agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,"
            + "reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,"
            + "idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,"
            + "agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,"
            + "h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,"
            + "h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,"
            + "h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,"
            + "h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,"
            + "h1_spliced_bytes_in,h1_spliced_bytes_out,\n";
    private static final int FIELDS = 128;
    /** Column indexes by HAProxy's ST_F_* order. */
    private static final int SCUR = 4, SMAX = 5, SLIM = 6, STOT = 7, BIN = 8, BOUT = 9, DREQ = 10, DRESP = 11, ECON = 13,
            ERESP = 14, WRETR = 15, WREDIS = 16, STATUS = 17, WEIGHT = 18, ACT = 19, BCK = 20,
            CHKFAIL = 21, CHKDOWN = 22, LASTCHG = 23, DOWNTIME = 24, IID = 27, SID = 28, LBTOT = 30, TYPE = 32,
            RATE = 33, RATE_MAX = 35, CHECK_STATUS = 36, CHECK_CODE = 37, CHECK_DURATION = 38, HRSP_1XX = 39,
            REQ_RATE = 46, REQ_RATE_MAX = 47, REQ_TOT = 48, CLI_ABRT = 49, SRV_ABRT = 50, LASTSESS = 55,
            LAST_CHK = 56, QTIME = 58, CHECK_DESC = 65, CHECK_RISE = 67, CHECK_FALL = 68, CHECK_HEALTH = 69,
            ADDR = 73, MODE = 75, ALGO = 76, CONN_RATE = 77, CONN_RATE_MAX = 78, CONN_TOT = 79, INTERCEPTED = 80,
            DCON = 81, DSES = 82,
            CONNECT = 84, REUSE = 85, QTIME_MAX = 90, UWEIGHT = 99, H1_OPEN_CONNECTIONS = 120,
            H1_TOTAL_CONNECTIONS = 122, H1_TOTAL_STREAMS = 123, H1_BYTES_IN = 124, H1_BYTES_OUT = 125;

    /** Zero columns of each row type (all other columns are empty unless set explicitly). */
    private static final int[] FE_ZEROS = concat(range(4, 13), ints(33, 34, 35), range(39, 45), ints(46, 47, 48),
            range(51, 55), range(77, 84), ints(86, 87, 94), range(104, 128));
    private static final int[] SV_ZEROS = concat(range(2, 6), ints(7, 8, 9, 11), range(13, 17), ints(30, 33, 35),
            range(39, 45), ints(48, 49, 50), range(58, 62), range(83, 86), ints(88), range(90, 99), range(104, 107));
    private static final int[] BE_ZEROS = concat(range(2, 6), range(7, 12), range(13, 17), ints(22, 24, 30, 33, 35),
            range(39, 45), range(48, 55), range(58, 62), range(83, 88), range(90, 95), range(100, 103),
            range(104, 128));

    private StatCsv() {
    }

    static CliCommand command() {
        return CliCommand.of("show stat", "show stat [desc|json|no-maint|typed|up]*",
                "report counters for each proxy and server", CliLevel.USER, StatCsv::show);
    }

    static String show(CliRequest r) {
        List<String[]> rows = rows(r.context(), r.level().allows(CliLevel.OPERATOR), r.args().contains("up"),
                r.args().contains("no-maint"));
        if (r.args().contains("json") || r.args().contains("typed")) {
            return StatTyped.stat(rows, r.args().contains("json"));
        }
        StringBuilder out = new StringBuilder(HEADER);
        for (String[] c : rows) {
            row(out, c);
        }
        return out.toString();
    }

    /** The column names of {@link #HEADER}, in order. */
    static final java.util.List<String> COLUMNS = java.util.List.of(HEADER.substring(2, HEADER.length() - 2)
            .split(","));

    /** One row's value by column name ("" when empty or unknown). */
    static String value(String[] row, String column) {
        int i = COLUMNS.indexOf(column);
        return i < 0 ? "" : row[i];
    }

    /** Every row of {@code show stat} as its columns, proxies by id (the stats page and Prometheus read these). */
    static java.util.List<String[]> rows(ApiContext ctx, boolean legends, boolean upOnly, boolean noMaint) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        long now = System.currentTimeMillis();
        // HAProxy walks proxies by id: a listen's frontend and backend rows are adjacent.
        java.util.List<Object> proxies = new java.util.ArrayList<>();
        proxies.addAll(ctx.runtime().frontends());
        proxies.addAll(ctx.runtime().backends());
        proxies.sort(java.util.Comparator.comparingInt(p -> p instanceof RuntimeFrontend f ? f.spec().id() * 2
                : ((RuntimeBackend) p).spec().id() * 2 + 1));
        for (Object p : proxies) {
            if (p instanceof RuntimeFrontend f) {
                out.add(forMode(frontend(ctx, f), f.spec().mode()));
            } else {
                RuntimeBackend b = (RuntimeBackend) p;
                for (Server s : b.servers().all()) {
                    ServerView v = ServerView.of(ctx, s);
                    if ((upOnly && v.opState() == 0) || (noMaint && s.isAdminMaint())) {
                        continue;
                    }
                    out.add(forMode(server(b, v, legends, now), b.spec().mode()));
                }
                out.add(forMode(backend(ctx, b, legends, now), b.spec().mode()));
            }
        }
        return out;
    }

    /**
     * Columns HAProxy fills only for HTTP proxies: status classes and cache figures everywhere, intercepted on
     * frontends, req_tot on backends and servers (a TCP frontend still shows req_tot 0).
     */
    private static final int[] HTTP_ONLY_FE = {39, 40, 41, 42, 43, 44, 80, 86, 87};
    private static final int[] HTTP_ONLY_BE = {39, 40, 41, 42, 43, 44, 48, 86, 87};

    /** Empties the HTTP-only columns of a TCP proxy's row (HAProxy 2.6 leaves them empty, observed). */
    private static String[] forMode(String[] c, io.berth.model.Mode mode) {
        if (mode == io.berth.model.Mode.TCP) {
            for (int i : c[TYPE].equals("0") ? HTTP_ONLY_FE : HTTP_ONLY_BE) {
                c[i] = "";
            }
        }
        return c;
    }

    private static String[] frontend(ApiContext ctx, RuntimeFrontend f) {
        String[] c = blank(f.name(), "FRONTEND", FE_ZEROS);
        TrafficCounters t = f.counters;
        long now = System.currentTimeMillis();
        c[SCUR] = String.valueOf(f.currentConns.get());
        c[SMAX] = String.valueOf(Math.max(t.maxConns(), f.currentConns.get()));
        c[SLIM] = String.valueOf(maxconn(ctx, f.spec()));
        // stot counts sessions, conn_tot every accepted connection (tcp-request connection/session rejects too)
        c[STOT] = String.valueOf(f.totalSessions.get());
        c[CONN_TOT] = String.valueOf(f.totalConns.get());
        c[DCON] = String.valueOf(t.deniedConnections.sum());
        c[DSES] = String.valueOf(t.deniedSessions.sum());
        traffic(c, t);
        c[DREQ] = String.valueOf(t.deniedRequests.sum());
        c[RATE] = String.valueOf(t.sessionRate.read(now));
        c[RATE_MAX] = String.valueOf(t.sessionRate.max());
        c[CONN_RATE] = String.valueOf(t.connectionRate.read(now));
        c[CONN_RATE_MAX] = String.valueOf(t.connectionRate.max());
        c[INTERCEPTED] = String.valueOf(t.intercepted.sum());
        if (f.spec().mode() == io.berth.model.Mode.HTTP) {
            c[REQ_RATE] = String.valueOf(t.requestRate.read(now));
            c[REQ_RATE_MAX] = String.valueOf(t.requestRate.max());
            c[REQ_TOT] = String.valueOf(f.totalRequests.get());
            // the HTTP/1 mux figures: client connections and their raw bytes
            c[H1_OPEN_CONNECTIONS] = String.valueOf(f.currentConns.get());
            c[H1_TOTAL_CONNECTIONS] = String.valueOf(f.totalConns.get());
            c[H1_TOTAL_STREAMS] = String.valueOf(f.totalRequests.get());
            c[H1_BYTES_IN] = String.valueOf(t.wireIn.sum());
            c[H1_BYTES_OUT] = String.valueOf(t.wireOut.sum());
        }
        c[STATUS] = "OPEN";
        c[IID] = String.valueOf(f.spec().id());
        c[SID] = "0";
        c[TYPE] = "0";
        c[MODE] = mode(f.spec().mode());
        return c;
    }

    private static String[] server(RuntimeBackend b, ServerView v, boolean legends, long now) {
        Server s = v.server();
        String[] c = blank(b.name(), s.name(), SV_ZEROS);
        TrafficCounters t = s.counters;
        c[SCUR] = String.valueOf(s.currentConns.get());
        c[SMAX] = String.valueOf(Math.max(t.maxConns(), s.currentConns.get()));
        if (s.spec().maxconn() > 0) {
            c[SLIM] = String.valueOf(s.spec().maxconn());
        }
        c[STOT] = String.valueOf(s.totalConns.get());
        c[LBTOT] = String.valueOf(t.loadBalanced.sum());
        traffic(c, t);
        backendSide(c, t, b.spec().mode() == io.berth.model.Mode.HTTP, now);
        c[STATUS] = v.status();
        c[WEIGHT] = String.valueOf(s.shownWeight());
        c[UWEIGHT] = String.valueOf(s.weight());
        c[ACT] = s.isBackup() ? "0" : "1";
        c[BCK] = s.isBackup() ? "1" : "0";
        c[LASTCHG] = String.valueOf(Math.max(0, (now - ServersState.lastChange(v)) / 1000));
        if (v.running()) {
            c[CHKFAIL] = c[CHKDOWN] = c[DOWNTIME] = "0";
            c[CHECK_RISE] = String.valueOf(v.rise());
            c[CHECK_FALL] = String.valueOf(v.fall());
            c[CHECK_HEALTH] = String.valueOf(v.health());
        }
        if (v.checkShown() && v.check().isPresent()) {
            var cs = v.check().get();
            c[CHECK_STATUS] = cs.checkStatusField();
            if (cs.status().hasHttpCode()) {
                c[CHECK_CODE] = String.valueOf(cs.code());
            }
            if (cs.status().code() >= 3 && cs.durationMs() >= 0) {
                c[CHECK_DURATION] = String.valueOf(cs.durationMs());
            }
            c[LAST_CHK] = cs.info();
            c[CHECK_DESC] = cs.status().description();
        }
        c[IID] = String.valueOf(b.spec().id());
        c[SID] = String.valueOf(s.id());
        c[TYPE] = "2";
        if (legends) {
            c[ADDR] = v.ipPort();
        }
        c[MODE] = mode(b.spec().mode());
        return c;
    }

    private static String[] backend(ApiContext ctx, RuntimeBackend b, boolean legends, long now) {
        String[] c = blank(b.name(), "BACKEND", BE_ZEROS);
        int act = ServerEvents.usable(b.servers(), false);
        int bck = ServerEvents.usable(b.servers(), true);
        // weight: HAProxy's tot_weight (the usable servers' eweights, slowstart ramps included) in whole weights,
        // rounded up; uweight: their user weights
        int sixteenths = 0;
        int userWeight = 0;
        for (Server s : b.servers().all()) {
            if (s.isUsable() && s.isBackup() == (act == 0)) {
                sixteenths += s.weight() * s.rampSixteenths();
                userWeight += s.weight();
            }
        }
        int weight = (sixteenths + Server.FULL_RAMP - 1) / Server.FULL_RAMP;
        TrafficCounters t = b.counters;
        c[SCUR] = String.valueOf(b.currentConns.get());
        c[SMAX] = String.valueOf(Math.max(t.maxConns(), b.currentConns.get()));
        c[SLIM] = String.valueOf(fullconn(ctx, b));
        c[STOT] = String.valueOf(b.totalConns.get());
        c[LBTOT] = String.valueOf(t.loadBalanced.sum());
        traffic(c, t);
        c[DREQ] = String.valueOf(t.deniedRequests.sum());
        backendSide(c, t, b.spec().mode() == io.berth.model.Mode.HTTP, now);
        if (b.spec().mode() == io.berth.model.Mode.HTTP) {
            // server-side HTTP/1 mux: connections made and streams sent (open connections and bytes not kept)
            c[H1_TOTAL_CONNECTIONS] = String.valueOf(t.connects.sum());
            c[H1_TOTAL_STREAMS] = String.valueOf(t.requests.sum());
        }
        c[STATUS] = act + bck > 0 ? "UP" : "DOWN";
        c[WEIGHT] = String.valueOf(weight);
        c[UWEIGHT] = String.valueOf(userWeight);
        c[ACT] = String.valueOf(act);
        c[BCK] = String.valueOf(bck);
        c[LASTCHG] = String.valueOf(Math.max(0, (now - ctx.startMs()) / 1000));
        c[IID] = String.valueOf(b.spec().id());
        c[SID] = "0";
        c[TYPE] = "1";
        c[MODE] = mode(b.spec().mode());
        if (legends) {
            c[ALGO] = b.spec().balance().algorithm().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return c;
    }

    /** Bytes and, for HTTP, the status classes (HAProxy leaves them empty in TCP mode). */
    private static void traffic(String[] c, TrafficCounters t) {
        c[DRESP] = String.valueOf(t.deniedResponses.sum());
        c[BIN] = String.valueOf(t.bytesIn.sum());
        c[BOUT] = String.valueOf(t.bytesOut.sum());
        for (int i = 0; i < 6; i++) {
            c[HRSP_1XX + i] = String.valueOf(t.responses(i == 5 ? 0 : i + 1));
        }
    }

    /** The columns a backend row and a server row share: errors, rates, requests, aborts, timers, connects. */
    private static void backendSide(String[] c, TrafficCounters t, boolean http, long now) {
        c[ECON] = String.valueOf(t.connectionErrors.sum());
        c[ERESP] = String.valueOf(t.responseErrors.sum());
        c[WRETR] = String.valueOf(t.retries.sum());
        c[WREDIS] = String.valueOf(t.redispatches.sum());
        c[RATE] = String.valueOf(t.sessionRate.read(now));
        c[RATE_MAX] = String.valueOf(t.sessionRate.max());
        if (http) {
            c[REQ_TOT] = String.valueOf(t.requests.sum());
        }
        c[CLI_ABRT] = String.valueOf(t.clientAborts.sum());
        c[SRV_ABRT] = String.valueOf(t.serverAborts.sum());
        c[LASTSESS] = String.valueOf(t.secondsSinceLastSession(now));
        long samples = t.connects.sum() + t.reuses.sum();
        TrafficCounters.Timer[] timers = TrafficCounters.Timer.values();
        for (int i = 0; i < timers.length; i++) {
            c[QTIME + i] = String.valueOf(t.timerAverage(timers[i], samples));
            c[QTIME_MAX + i] = String.valueOf(t.timerMax(timers[i]));
        }
        c[CONNECT] = String.valueOf(t.connects.sum());
        c[REUSE] = String.valueOf(t.reuses.sum());
    }

    /** A frontend's {@code maxconn}, else the global one (HAProxy's default per-proxy limit). */
    private static int maxconn(ApiContext ctx, FrontendSpec f) {
        return f.maxconn() > 0 ? f.maxconn() : ctx.global().maxconn();
    }

    /** HAProxy's implicit {@code fullconn}: 10 % (rounded up) of the maxconn of the frontends that reach it. */
    private static int fullconn(ApiContext ctx, RuntimeBackend b) {
        long total = 0;
        for (RuntimeFrontend f : ctx.runtime().frontends()) {
            boolean reaches = b.name().equals(f.spec().defaultBackend());
            for (UseBackendSpec u : f.spec().useBackends()) {
                reaches |= u.backend().equals(b.name());
            }
            if (reaches) {
                total += maxconn(ctx, f.spec());
            }
        }
        return (int) Math.max(1, (total + 9) / 10);
    }

    private static String mode(io.berth.model.Mode m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private static String[] blank(String px, String sv, int[] zeros) {
        String[] c = new String[FIELDS];
        Arrays.fill(c, "");
        for (int i : zeros) {
            c[i] = "0";
        }
        c[0] = px;
        c[1] = sv;
        c[26] = "1";
        c[103] = "-";
        return c;
    }

    /** Values are written raw: HAProxy does not quote CSV fields (it replaces commas in strings by spaces). */
    private static void row(StringBuilder out, String[] c) {
        for (String v : c) {
            out.append(v.replace(',', ' ')).append(',');
        }
        out.append('\n');
    }

    private static int[] range(int from, int toExclusive) {
        int[] r = new int[toExclusive - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static int[] ints(int... v) {
        return v;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
