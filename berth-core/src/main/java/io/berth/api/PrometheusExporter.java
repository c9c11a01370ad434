package io.berth.api;

import io.berth.persist.stick.StickTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code http-request use-service prometheus-exporter}: the Prometheus text format (0.0.4) with HAProxy 2.6's
 * metric names, types and labels ({@code haproxy_process_*} from {@code show info}, {@code haproxy_frontend_*},
 * {@code haproxy_backend_*}, {@code haproxy_server_*} from the {@code show stat} columns, as HAProxy's exporter
 * reads the same fields; {@code haproxy_sticktable_*}), grouped by metric with one HELP and TYPE line each, plus
 * Berth's {@code berth_stick_table_*} and {@code berth_persistence_*}. Times are converted from ms to seconds
 * as HAProxy does. HTTP-only metrics skip TCP proxies. Stateless; runs on an event loop, from memory only.
 */
final class PrometheusExporter {
    /** One metric: name, type, help, and the {@code show info} field or {@code show stat} column it reads. */
    private record Metric(String name, String type, String help, String source) {
    }

    private static final String[] STATES = {"DOWN", "UP", "MAINT", "DRAIN", "NOLB"};
    private static final String[] CHECKS = {"HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT", "L6RSP",
            "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK"};

    private PrometheusExporter() {
    }

    /** Rows {@code name type source [help]}; "g" gauge, "c" counter; help defaults to the source's description. */
    private static List<Metric> parse(String table) {
        List<Metric> out = new ArrayList<>();
        for (String line : table.strip().split("\n")) {
            String[] w = line.trim().split(" ", 4);
            String type = w[1].equals("c") ? "counter" : "gauge";
            String help = w.length > 3 ? w[3] : "Value of '" + w[2].replace('_', ' ') + "' as the runtime API reports it";
            out.add(new Metric(w[0], type, help, w[2]));
        }
        return out;
    }

    private static final List<Metric> PROCESS = parse("""
            nbthread g Nbthread Threads started
            nbproc g Nbproc Worker processes (always 1)
            relative_process_id g Process_num Relative worker process number (1)
            uptime_seconds g Uptime_sec Seconds since this process started
            pool_failures_total c PoolFailed Failed pool allocations
            max_fds g Ulimit-n Limit on open files
            max_sockets g Maxsock Limit on sockets
            max_connections g Maxconn Configured connection limit
            hard_max_connections g Hard_maxconn Hard connection limit
            current_connections g CurrConns Connections open now
            connections_total c CumConns Connections accepted since start
            requests_total c CumReq HTTP requests since start
            max_ssl_connections g MaxSslConns
            current_ssl_connections g CurrSslConns
            ssl_connections_total c CumSslConns
            max_pipes g Maxpipes
            pipes_used_total c PipesUsed
            pipes_free_total c PipesFree
            current_connection_rate g ConnRate
            limit_connection_rate g ConnRateLimit
            max_connection_rate g MaxConnRate
            current_session_rate g SessRate
            limit_session_rate g SessRateLimit
            max_session_rate g MaxSessRate
            current_ssl_rate g SslRate
            limit_ssl_rate g SslRateLimit
            max_ssl_rate g MaxSslRate
            current_frontend_ssl_key_rate g SslFrontendKeyRate
            max_frontend_ssl_key_rate g SslFrontendMaxKeyRate
            frontend_ssl_reuse g SslFrontendSessionReuse_pct
            current_backend_ssl_key_rate g SslBackendKeyRate
            max_backend_ssl_key_rate g SslBackendMaxKeyRate
            ssl_cache_lookups_total c SslCacheLookups
            ssl_cache_misses_total c SslCacheMisses
            http_comp_bytes_in_total c CompressBpsIn
            http_comp_bytes_out_total c CompressBpsOut
            limit_http_comp g CompressBpsRateLim
            current_zlib_memory g ZlibMemUsage
            max_zlib_memory g MaxZlibMemUsage
            current_tasks g Tasks
            current_run_queue g Run_queue
            idle_time_percent g Idle_pct
            stopping g Stopping
            jobs g Jobs
            unstoppable_jobs g Unstoppable_Jobs
            listeners g Listeners
            active_peers g ActivePeers
            connected_peers g ConnectedPeers
            dropped_logs_total c DroppedLogs
            busy_polling_enabled g BusyPolling
            failed_resolutions c FailedResolutions
            bytes_out_total c TotalBytesOut
            spliced_bytes_out_total c TotalSplicdedBytesOut
            bytes_out_rate g BytesOutRate
            recv_logs_total c CumRecvLogs
            build_info g Version Build information (version label)
            max_memory_bytes g Memmax_bytes
            pool_allocated_bytes g PoolAlloc_bytes
            pool_used_bytes g PoolUsed_bytes
            start_time_seconds g Start_time_sec Start time (seconds since the epoch)
            """);

    private static final List<Metric> FRONTEND = parse("""
            current_sessions g scur
            max_sessions g smax
            limit_sessions g slim
            sessions_total c stot
            bytes_in_total c bin
            bytes_out_total c bout
            requests_denied_total c dreq
            responses_denied_total c dresp
            request_errors_total c ereq
            status g status Current status, per state label value
            limit_session_rate g rate_lim
            max_session_rate g rate_max
            http_responses_total c hrsp HTTP responses per status class (code label)
            http_requests_rate_max g req_rate_max
            http_requests_total c req_tot
            http_comp_bytes_in_total c comp_in
            http_comp_bytes_out_total c comp_out
            http_comp_bytes_bypassed_total c comp_byp
            http_comp_responses_total c comp_rsp
            connections_rate_max g conn_rate_max
            connections_total c conn_tot
            intercepted_requests_total c intercepted
            denied_connections_total c dcon
            denied_sessions_total c dses
            failed_header_rewriting_total c wrew
            http_cache_lookups_total c cache_lookups
            http_cache_hits_total c cache_hits
            internal_errors_total c eint
            """);

    private static final List<Metric> BACKEND = parse("""
            current_queue g qcur
            max_queue g qmax
            current_sessions g scur
            max_sessions g smax
            limit_sessions g slim
            sessions_total c stot
            bytes_in_total c bin
            bytes_out_total c bout
            requests_denied_total c dreq
            responses_denied_total c dresp
            connection_errors_total c econ
            response_errors_total c eresp
            retry_warnings_total c wretr
            redispatch_warnings_total c wredis
            status g status Current status, per state label value
            weight g weight
            active_servers g act
            backup_servers g bck
            check_up_down_total c chkdown
            check_last_change_seconds g lastchg
            downtime_seconds_total c downtime
            loadbalanced_total c lbtot
            max_session_rate g rate_max
            http_responses_total c hrsp HTTP responses per status class (code label)
            http_requests_total c req_tot
            client_aborts_total c cli_abrt
            server_aborts_total c srv_abrt
            http_comp_bytes_in_total c comp_in
            http_comp_bytes_out_total c comp_out
            http_comp_bytes_bypassed_total c comp_byp
            http_comp_responses_total c comp_rsp
            last_session_seconds g lastsess
            queue_time_average_seconds g qtime
            connect_time_average_seconds g ctime
            response_time_average_seconds g rtime
            total_time_average_seconds g ttime
            failed_header_rewriting_total c wrew
            connection_attempts_total c connect
            connection_reuses_total c reuse
            http_cache_lookups_total c cache_lookups
            http_cache_hits_total c cache_hits
            max_queue_time_seconds g qtime_max
            max_connect_time_seconds g ctime_max
            max_response_time_seconds g rtime_max
            max_total_time_seconds g ttime_max
            internal_errors_total c eint
            uweight g uweight
            agg_server_status g agg_server_status Servers per state (state label)
            agg_server_check_status g agg_server_check_status Servers per state as checks see it (state label)
            agg_check_status g agg_check_status Servers per last check status (state label)
            """);

    private static final List<Metric> SERVER = parse("""
            current_queue g qcur
            max_queue g qmax
            current_sessions g scur
            max_sessions g smax
            limit_sessions g slim
            sessions_total c stot
            bytes_in_total c bin
            bytes_out_total c bout
            responses_denied_total c dresp
            connection_errors_total c econ
            response_errors_total c eresp
            retry_warnings_total c wretr
            redispatch_warnings_total c wredis
            status g status Current status, per state label value
            weight g weight
            check_failures_total c chkfail
            check_up_down_total c chkdown
            check_last_change_seconds g lastchg
            downtime_seconds_total c downtime
            queue_limit g qlimit
            current_throttle g throttle
            loadbalanced_total c lbtot
            max_session_rate g rate_max
            http_responses_total c hrsp HTTP responses per status class (code label)
            client_aborts_total c cli_abrt
            server_aborts_total c srv_abrt
            last_session_seconds g lastsess
            queue_time_average_seconds g qtime
            connect_time_average_seconds g ctime
            response_time_average_seconds g rtime
            total_time_average_seconds g ttime
            failed_header_rewriting_total c wrew
            connection_attempts_total c connect
            connection_reuses_total c reuse
            idle_connections_current g srv_icur
            idle_connections_limit g src_ilim
            max_queue_time_seconds g qtime_max
            max_connect_time_seconds g ctime_max
            max_response_time_seconds g rtime_max
            max_total_time_seconds g ttime_max
            internal_errors_total c eint
            unsafe_idle_connections_current g idle_conn_cur
            safe_idle_connections_current g safe_conn_cur
            used_connections_current g used_conn_cur
            need_connections_current g need_conn_est
            uweight g uweight
            """);

    /** The whole scrape. */
    static String render(ApiContext ctx) {
        StringBuilder out = new StringBuilder(64 * 1024);
        Map<String, String> info = ShowInfo.fields(ctx);
        for (Metric m : PROCESS) {
            head(out, "haproxy_process_" + m.name(), m);
            if (m.source().equals("Version")) {
                out.append("haproxy_process_build_info{version=\"").append(escape(info.get("Version")))
                        .append("\"} 1\n");
            } else {
                String v = info.get(m.source().replace('_', ' '));
                if (v == null) {
                    v = info.get(m.source());
                }
                out.append("haproxy_process_").append(m.name()).append(' ').append(number(v)).append('\n');
            }
        }
        List<String[]> rows = StatCsv.rows(ctx, true, false, false);
        section(out, "haproxy_frontend_", FRONTEND, rows, "0");
        section(out, "haproxy_backend_", BACKEND, rows, "1");
        section(out, "haproxy_server_", SERVER, rows, "2");
        List<StickTable> tables = TableCommands.tables(ctx.runtime());
        for (String what : List.of("size", "used")) {
            if (tables.isEmpty()) {
                break;
            }
            out.append("# HELP haproxy_sticktable_").append(what).append(" Stick table ").append(what)
                    .append(".\n# TYPE haproxy_sticktable_").append(what).append(" gauge\n");
            for (StickTable t : tables) {
                out.append("haproxy_sticktable_").append(what).append("{name=\"").append(escape(t.name()))
                        .append("\",type=\"").append(t.spec().type().name().toLowerCase(Locale.ROOT)).append("\"} ")
                        .append(what.equals("size") ? t.spec().size() : t.used()).append('\n');
            }
        }
        BerthMetrics.render(out, ctx, tables);
        return out.toString();
    }

    private static void section(StringBuilder out, String prefix, List<Metric> metrics, List<String[]> rows,
                                String type) {
        for (Metric m : metrics) {
            boolean headed = false;
            String[] codes = m.source().equals("hrsp") ? new String[]{"1xx", "2xx", "3xx", "4xx", "5xx", "other"}
                    : new String[]{null};
            for (String code : codes) {
                for (String[] row : rows) {
                    if (!StatCsv.value(row, "type").equals(type)
                            || (httpOnly(m) && !StatCsv.value(row, "mode").equals("http"))) {
                        continue;
                    }
                    if (!headed) {
                        head(out, prefix + m.name(), m);
                        headed = true;
                    }
                    String labels = "proxy=\"" + escape(row[0]) + "\"" + (type.equals("2")
                            ? ",server=\"" + escape(row[1]) + "\"" : "");
                    if (code != null) {
                        line(out, prefix + m.name(), labels + ",code=\"" + code + "\"",
                                number(StatCsv.value(row, "hrsp_" + code)));
                    } else if (m.source().equals("status")) {
                        status(out, prefix + m.name(), labels, row, type);
                    } else if (m.source().startsWith("agg_")) {
                        aggregate(out, prefix + m.name(), labels, m.source(), row[0], rows);
                    } else {
                        String v = number(StatCsv.value(row, m.source()));
                        if (m.source().matches("[qcrt]time(_max)?")) {
                            v = seconds(v);
                        }
                        line(out, prefix + m.name(), labels, v);
                    }
                }
            }
        }
    }

    /** Metrics HAProxy's exporter skips for TCP proxies: the HTTP ones and intercepted requests. */
    private static boolean httpOnly(Metric m) {
        return m.name().startsWith("http_") || m.name().equals("intercepted_requests_total");
    }

    private static void status(StringBuilder out, String name, String labels, String[] row, String type) {
        String st = StatCsv.value(row, "status");
        String[] states = type.equals("2") ? STATES : new String[]{"DOWN", "UP"};
        String now = type.equals("2") ? serverState(st) : (st.equals("OPEN") || st.equals("UP") ? "UP" : "DOWN");
        for (String s : states) {
            line(out, name, labels + ",state=\"" + s + "\"", s.equals(now) ? "1" : "0");
        }
    }

    /** The server state of a {@code show stat} status text ({@code UP 1/3} is UP, {@code no check} is UP). */
    private static String serverState(String status) {
        if (status.startsWith("MAINT")) {
            return "MAINT";
        }
        if (status.startsWith("DRAIN")) {
            return "DRAIN";
        }
        if (status.startsWith("NOLB")) {
            return "NOLB";
        }
        return status.startsWith("DOWN") ? "DOWN" : "UP";
    }

    private static void aggregate(StringBuilder out, String name, String labels, String what, String proxy,
                                  List<String[]> rows) {
        String[] states = what.equals("agg_check_status") ? CHECKS : STATES;
        for (String s : states) {
            int n = 0;
            for (String[] row : rows) {
                if (!row[0].equals(proxy) || !StatCsv.value(row, "type").equals("2")) {
                    continue;
                }
                String v = what.equals("agg_check_status")
                        ? StatCsv.value(row, "check_status").replace("* ", "")
                        : serverState(StatCsv.value(row, "status"));
                n += v.equals(s) ? 1 : 0;
            }
            line(out, name, labels + ",state=\"" + s + "\"", String.valueOf(n));
        }
    }

    private static void head(StringBuilder out, String name, Metric m) {
        out.append("# HELP ").append(name).append(' ').append(m.help()).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(m.type()).append('\n');
    }

    static void line(StringBuilder out, String name, String labels, String value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    /** A numeric field; empty or non-numeric values become 0. */
    private static String number(String v) {
        if (v == null || v.isEmpty()) {
            return "0";
        }
        try {
            Long.parseLong(v);
            return v;
        } catch (NumberFormatException e) {
            return "0";
        }
    }

    private static String seconds(String ms) {
        long v = Long.parseLong(ms);
        return v == 0 ? "0" : String.valueOf(v / 1000.0);
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
