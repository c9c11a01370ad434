package io.berth.sample;

import java.util.List;

/**
 * The stick-counter fetches of HAProxy 2.6 (src/stick_table.c's keyword list): {@code sc_X(ctr[,table])},
 * {@code sc0_X..sc2_X([table])} and {@code src_X([table])} for each counter X, all of type integer. They read
 * through {@link SampleContext#trackedCounters()}, so the table code stays in {@code persist/stick}. Registered
 * into {@link Fetches} at class initialisation; immutable afterwards.
 */
final class StickFetches {
    /** Tracked counters per stream ({@code MAX_SESS_STKCTR} in a default 2.6 build). */
    static final int SLOTS = 3;

    /** Adds one fetch definition (Fetches' own registration method). */
    @FunctionalInterface
    interface Registrar {
        void add(String name, Sample.Type type, Fetches.Factory factory);
    }

    /** Counter part of the keyword → (data type, operation). */
    private record Counter(String suffix, String dataType, TrackedCounters.Op op) {
    }

    private static final List<Counter> COUNTERS = List.of(
            get("conn_cnt"), get("conn_cur"), get("conn_rate"), get("sess_cnt"), get("sess_rate"),
            get("http_req_cnt"), get("http_req_rate"), get("http_err_cnt"), get("http_err_rate"),
            get("http_fail_cnt"), get("http_fail_rate"), get("bytes_in_rate"), get("bytes_out_rate"),
            get("gpc0_rate"), get("gpc1_rate"),
            new Counter("get_gpc0", "gpc0", TrackedCounters.Op.GET),
            new Counter("get_gpc1", "gpc1", TrackedCounters.Op.GET),
            new Counter("get_gpt0", "gpt0", TrackedCounters.Op.GET),
            new Counter("inc_gpc0", "gpc0", TrackedCounters.Op.INC),
            new Counter("inc_gpc1", "gpc1", TrackedCounters.Op.INC),
            new Counter("clr_gpc0", "gpc0", TrackedCounters.Op.CLR),
            new Counter("clr_gpc1", "gpc1", TrackedCounters.Op.CLR),
            new Counter("kbytes_in", "bytes_in_cnt", TrackedCounters.Op.KBYTES),
            new Counter("kbytes_out", "bytes_out_cnt", TrackedCounters.Op.KBYTES));

    private StickFetches() {
    }

    private static Counter get(String name) {
        return new Counter(name, name, TrackedCounters.Op.GET);
    }

    static void register(Registrar r) {
        for (Counter c : COUNTERS) {
            r.add("sc_" + c.suffix(), Sample.Type.INT, (a, rest) -> {
                a.atMost(2, rest);
                int slot = (int) a.integer(0, true, 0);
                return tracked(slot, a.string(1, false), c);
            });
            for (int n = 0; n < SLOTS; n++) {
                int slot = n;
                r.add("sc" + n + "_" + c.suffix(), Sample.Type.INT, (a, rest) -> {
                    a.atMost(1, rest);
                    return tracked(slot, a.string(0, false), c);
                });
            }
            r.add("src_" + c.suffix(), Sample.Type.INT, (a, rest) -> {
                a.atMost(1, rest);
                String table = a.string(0, false);
                return ctx -> {
                    TrackedCounters t = ctx.trackedCounters();
                    Long v = t == null ? null : t.source(ctx, table, c.dataType(), c.op());
                    return v == null ? null : Sample.ofInt(v);
                };
            });
        }
    }

    private static SampleFetch tracked(int slot, String table, Counter c) {
        return ctx -> {
            TrackedCounters t = ctx.trackedCounters();
            Long v = t == null || slot < 0 || slot >= SLOTS ? null : t.tracked(slot, table, c.dataType(), c.op());
            return v == null ? null : Sample.ofInt(v);
        };
    }
}
