package io.berth.api;

import io.berth.persist.stick.StickTable;
import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;

import java.util.List;
import java.util.Locale;

/**
 * Berth's own Prometheus metrics, appended to HAProxy's: {@code berth_stick_table_size|used|fill_ratio} per stick
 * table, {@code berth_persistence_hits_total} (requests that went to the server a cookie or stick table named)
 * and {@code berth_persistence_redispatches_total} per server, {@code berth_backend_persistence_hits_total}.
 * Stateless.
 */
final class BerthMetrics {
    private BerthMetrics() {
    }

    static void render(StringBuilder out, ApiContext ctx, List<StickTable> tables) {
        if (!tables.isEmpty()) {
            gauge(out, "berth_stick_table_size", "Entries the stick table may hold (size)");
            for (StickTable t : tables) {
                PrometheusExporter.line(out, "berth_stick_table_size", labels(t), String.valueOf(t.spec().size()));
            }
            gauge(out, "berth_stick_table_used", "Entries in the stick table now");
            for (StickTable t : tables) {
                PrometheusExporter.line(out, "berth_stick_table_used", labels(t), String.valueOf(t.used()));
            }
            gauge(out, "berth_stick_table_fill_ratio", "Entries in the stick table over its size");
            for (StickTable t : tables) {
                PrometheusExporter.line(out, "berth_stick_table_fill_ratio", labels(t),
                        String.valueOf(t.spec().size() == 0 ? 0.0 : (double) t.used() / t.spec().size()));
            }
        }
        counter(out, "berth_persistence_hits_total",
                "Server connections for the server a cookie or stick table designated");
        for (RuntimeBackend b : ctx.runtime().backends()) {
            for (Server s : b.servers().all()) {
                PrometheusExporter.line(out, "berth_persistence_hits_total", server(b, s),
                        String.valueOf(s.counters.persistent.sum()));
            }
        }
        counter(out, "berth_persistence_redispatches_total",
                "Requests redispatched away from the server they were first sent to");
        for (RuntimeBackend b : ctx.runtime().backends()) {
            for (Server s : b.servers().all()) {
                PrometheusExporter.line(out, "berth_persistence_redispatches_total", server(b, s),
                        String.valueOf(s.counters.redispatches.sum()));
            }
        }
        counter(out, "berth_backend_persistence_hits_total", "Persistent server connections of the backend");
        for (RuntimeBackend b : ctx.runtime().backends()) {
            PrometheusExporter.line(out, "berth_backend_persistence_hits_total",
                    "proxy=\"" + PrometheusExporter.escape(b.name()) + "\"",
                    String.valueOf(b.counters.persistent.sum()));
        }
    }

    private static String labels(StickTable t) {
        return "table=\"" + PrometheusExporter.escape(t.name()) + "\",type=\""
                + t.spec().type().name().toLowerCase(Locale.ROOT) + "\"";
    }

    private static String server(RuntimeBackend b, Server s) {
        return "proxy=\"" + PrometheusExporter.escape(b.name()) + "\",server=\"" + PrometheusExporter.escape(s.name())
                + "\"";
    }

    private static void gauge(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n");
    }

    private static void counter(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name)
                .append(" counter\n");
    }
}
