package io.berth.api;

import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeFrontend;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code show info}: HAProxy 2.6's field list in its order ({@code info_fields} in src/stats.c), with Berth's
 * honest values: its own name and version, the JVM's pid and heap for the pool figures, 0 for what Berth does
 * not have (SSL, pipes, compression, rate limits). Stateless.
 */
final class ShowInfo {
    private ShowInfo() {
    }

    static CliCommand command() {
        return CliCommand.of("show info", "show info [desc|json|typed|float]*",
                "report information about the running process", CliLevel.USER, r -> {
                    if (r.args().contains("json") || r.args().contains("typed")) {
                        return StatTyped.info(fields(r.context()), r.args().contains("json"));
                    }
                    return render(fields(r.context()));
                });
    }

    static String render(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    static Map<String, String> fields(ApiContext ctx) {
        Runtime rt = ctx.runtime();
        long now = System.currentTimeMillis();
        long up = (now - ctx.startMs()) / 1000;
        long cumConns = 0;
        long cumReq = 0;
        int listeners = ctx.global().statsSockets().size();
        for (RuntimeFrontend f : rt.frontends()) {
            cumConns += f.totalConns.get();
            cumReq += f.totalRequests.get();
            listeners += f.spec().binds().size();
        }
        java.lang.Runtime jvm = java.lang.Runtime.getRuntime();
        long heapTotal = jvm.totalMemory();
        long heapUsed = heapTotal - jvm.freeMemory();
        int nbthread = ctx.global().nbthread() > 0 ? ctx.global().nbthread() : jvm.availableProcessors();
        long ulimit = openFilesLimit();
        String maxconn = String.valueOf(ctx.global().maxconn());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Name", "Berth");
        f.put("Version", version());
        f.put("Release_date", releaseDate());
        f.put("Nbthread", String.valueOf(nbthread));
        f.put("Nbproc", "1");
        f.put("Process_num", "1");
        f.put("Pid", String.valueOf(ProcessHandle.current().pid()));
        f.put("Uptime", String.format("%dd %dh%02dm%02ds", up / 86400, (up / 3600) % 24, (up / 60) % 60, up % 60));
        f.put("Uptime_sec", String.valueOf(up));
        f.put("Memmax_MB", "0");
        f.put("PoolAlloc_MB", String.valueOf(heapTotal >> 20));
        f.put("PoolUsed_MB", String.valueOf(heapUsed >> 20));
        f.put("PoolFailed", "0");
        f.put("Ulimit-n", String.valueOf(ulimit));
        f.put("Maxsock", String.valueOf(ulimit));
        f.put("Maxconn", maxconn);
        f.put("Hard_maxconn", maxconn);
        f.put("CurrConns", String.valueOf(rt.currentConns.get()));
        f.put("CumConns", String.valueOf(cumConns));
        f.put("CumReq", String.valueOf(cumReq));
        for (String k : new String[]{"MaxSslConns", "CurrSslConns", "CumSslConns", "Maxpipes", "PipesUsed",
                "PipesFree", "ConnRate", "ConnRateLimit", "MaxConnRate", "SessRate", "SessRateLimit", "MaxSessRate",
                "SslRate", "SslRateLimit", "MaxSslRate", "SslFrontendKeyRate", "SslFrontendMaxKeyRate",
                "SslFrontendSessionReuse_pct", "SslBackendKeyRate", "SslBackendMaxKeyRate", "SslCacheLookups",
                "SslCacheMisses", "CompressBpsIn", "CompressBpsOut", "CompressBpsRateLim"}) {
            f.put(k, "0");
        }
        f.put("Tasks", String.valueOf(Thread.activeCount()));
        f.put("Run_queue", "0");
        f.put("Idle_pct", "100");
        f.put("node", hostname());
        f.put("Stopping", "0");
        f.put("Jobs", String.valueOf(listeners + rt.currentConns.get()));
        f.put("Unstoppable Jobs", "0");
        f.put("Listeners", String.valueOf(listeners));
        for (String k : new String[]{"ActivePeers", "ConnectedPeers", "DroppedLogs", "BusyPolling",
                "FailedResolutions", "TotalBytesOut", "TotalSplicdedBytesOut", "BytesOutRate", "DebugCommandsIssued",
                "CumRecvLogs"}) {
            f.put(k, "0");
        }
        f.put("Build info", version());
        f.put("Memmax_bytes", "0");
        f.put("PoolAlloc_bytes", String.valueOf(heapTotal));
        f.put("PoolUsed_bytes", String.valueOf(heapUsed));
        f.put("Start_time_sec", String.valueOf(ctx.startMs() / 1000));
        f.put("Tainted", "0");
        return f;
    }

    /** The date the running classes were built (their jar's or directory's time), HAProxy's {@code yyyy/MM/dd}. */
    static String releaseDate() {
        try {
            var location = ShowInfo.class.getProtectionDomain().getCodeSource().getLocation();
            long ms = Path.of(location.toURI()).toFile().lastModified();
            return new SimpleDateFormat("yyyy/MM/dd", java.util.Locale.ROOT).format(new Date(ms));
        } catch (Exception | Error e) {
            return "";
        }
    }

    static String version() {
        String v = ShowInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The soft "Max open files" of this process (/proc/self/limits), 0 where unreadable. */
    private static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] w = line.substring("Max open files".length()).trim().split("\\s+");
                    return w[0].equals("unlimited") ? 0 : Long.parseLong(w[0]);
                }
            }
        } catch (Exception e) {
            // not Linux: report 0 rather than a guess
        }
        return 0;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName().split("\\.")[0];
        } catch (Exception e) {
            return "";
        }
    }

    /** {@code show errors}' header date, {@code [25/Nov/2026:17:27:36.235]}. */
    static String errorsHeader() {
        return "Total events captured on [" + new SimpleDateFormat("dd/MMM/yyyy:HH:mm:ss.SSS", java.util.Locale.ROOT)
                .format(new Date()) + "] : 0\n";
    }
}
