package io.berth.persist.stick;

import io.berth.sample.Sample;
import io.berth.sample.SampleContext;
import io.berth.sample.TrackedCounters;

import java.net.InetSocketAddress;

/**
 * The stick counters one stream tracks (HAProxy's {@code s->stkctr[0..2]}): for each of {@code track-sc0..2}, the
 * table and the key of the tracked entry, plus the counters its connection tracked ({@code sess->stkctr}), which a
 * stream inherits and never releases. Applies HAProxy 2.6's counter updates (include/haproxy/stream.h,
 * stick_table.h): tracking starts with conn_cur/conn_cnt/conn_rate +1 (and, from an {@code http-request} rule,
 * http_req +1), a 4xx response counts http_err, a 5xx other than 501/505 http_fail, bytes count both ways, and the
 * stream's end gives conn_cur back. Every update refreshes the entry's expiry. Also answers the
 * {@code sc_*}/{@code src_*} fetches ({@link TrackedCounters}).
 *
 * <p>Entries are addressed by key, not by position. A tracked entry is held ({@link StickTable#track}) until the
 * stream releases it, as HAProxy holds it by {@code ref_cnt}: meanwhile it is neither purged nor expired, so the
 * key always finds it. One instance per stream (HTTP: per request; TCP: per connection), touched
 * only on its event loop; the table operations take the segment locks.
 */
public final class StickCounters implements TrackedCounters {
    /** {@code MAX_SESS_STKCTR} of a default HAProxy 2.6 build: track-sc0, sc1, sc2. */
    public static final int SLOTS = 3;
    /** Slots tracked by a backend's content rules (bit per slot). */
    private int backendSlots;

    private final StickTables tables;
    private final StickCounters connection;
    private final StickTable[] table = new StickTable[SLOTS];
    private final int[][] key = new int[SLOTS][];

    /**
     * @param tables     the runtime's tables (for {@code src_*} fetches and an explicit {@code table} argument)
     * @param connection the counters tracked by the stream's connection, or null
     */
    public StickCounters(StickTables tables, StickCounters connection) {
        this.tables = tables;
        this.connection = connection;
    }

    /** The runtime's tables. */
    public StickTables tables() {
        return tables;
    }

    /** True when counter {@code slot} tracks an entry, here or at the connection level. */
    public boolean isTracked(int slot) {
        return key[slot] != null || connection != null && connection.key[slot] != null;
    }

    /**
     * {@code track-scN}: starts tracking {@code k} of {@code t} in {@code slot} unless the slot already tracks
     * something (only the first tracking rule of a slot applies). Creates the entry (evicting the oldest, or
     * refused by a full {@code nopurge} table: then nothing is tracked).
     *
     * @param httpRequest an {@code http-request} rule: the request being processed is counted now, as HAProxy
     *                    counted it before the entry was tracked
     * @return true when the slot now tracks the entry
     */
    public boolean track(int slot, StickTable t, int[] k, boolean httpRequest, int now) {
        if (isTracked(slot)) {
            return false;
        }
        boolean ok = t.track(k, now, e -> {
            e.add(StickDataType.CONN_CUR, 1);
            e.add(StickDataType.CONN_CNT, 1);
            e.add(StickDataType.CONN_RATE, 1);
            if (httpRequest) {
                e.add(StickDataType.HTTP_REQ_CNT, 1);
                e.add(StickDataType.HTTP_REQ_RATE, 1);
            }
        });
        if (ok) {
            table[slot] = t;
            key[slot] = k;
        }
        return ok;
    }

    /**
     * {@code track-scN} of a {@code tcp-request} rule (connection, session or content level): like
     * {@link StickAction#apply} but without counting an HTTP request (HAProxy counts one only from an
     * {@code http-request} rule; in HTTP mode {@link #streamHttpRequest} counts it once the content rules passed).
     *
     * @param fromBackend a backend's content rule: the slot is marked as tracked by the backend (HAProxy's
     *                    {@code STKCTR_TRACK_BACKEND}), see {@link #backendHttpRequest}
     * @return true when the slot now tracks the entry
     */
    public boolean track(StickAction a, SampleContext ctx, boolean fromBackend, int now) {
        StickTable t = tables.table(a.table());
        if (t == null || isTracked(a.slot())) {
            return false;
        }
        int[] k = StickKeys.encode(a.expr().sample(ctx), t.spec().type(), t.spec().keySize());
        boolean ok = k != null && track(a.slot(), t, k, false, now);
        if (ok && fromBackend) {
            backendSlots |= 1 << a.slot();
        }
        return ok;
    }

    /**
     * The HTTP request passed the backend's content rules ({@code stream_inc_be_http_req_ctr} when the backend's
     * HTTP analyser takes it): http_req_cnt/rate +1 in the entries the backend tracked, and only those.
     */
    public void backendHttpRequest(int now) {
        for (int i = 0; i < SLOTS; i++) {
            if ((backendSlots & 1 << i) != 0 && key[i] != null && (table[i].layout().stores(
                    StickDataType.HTTP_REQ_CNT) || table[i].layout().stores(StickDataType.HTTP_REQ_RATE))) {
                table[i].update(key[i], now, false, true, e -> {
                    e.add(StickDataType.HTTP_REQ_CNT, 1);
                    e.add(StickDataType.HTTP_REQ_RATE, 1);
                });
            }
        }
    }

    /**
     * An HTTP request of this stream passed the {@code tcp-request content} rules ({@code stream_inc_http_req_ctr}
     * when HAProxy's HTTP analyser takes the request): http_req_cnt/rate +1 in every entry tracked so far, the
     * stream's own (from content rules) and those inherited from the connection.
     */
    public void streamHttpRequest(int now) {
        forEach(true, now, StickDataType.HTTP_REQ_CNT, StickDataType.HTTP_REQ_RATE, 1);
    }

    /** A new session on a connection tracked at connection level: sess_cnt and sess_rate +1. */
    public void sessionStarted(int now) {
        forEach(false, now, StickDataType.SESS_CNT, StickDataType.SESS_RATE, 1);
    }

    /** A new HTTP request: counts in the entries inherited from the connection ({@code stream_inc_http_req_ctr}). */
    public void httpRequest(int now) {
        if (connection != null) {
            connection.forEach(false, now, StickDataType.HTTP_REQ_CNT, StickDataType.HTTP_REQ_RATE, 1);
        }
    }

    /** The response status is known: 4xx counts http_err, 5xx except 501 and 505 counts http_fail. */
    public void httpStatus(int status, int now) {
        if (status >= 400 && status < 500) {
            forEach(true, now, StickDataType.HTTP_ERR_CNT, StickDataType.HTTP_ERR_RATE, 1);
        } else if (status >= 500 && status < 600 && status != 501 && status != 505) {
            forEach(true, now, StickDataType.HTTP_FAIL_CNT, StickDataType.HTTP_FAIL_RATE, 1);
        }
    }

    /** The request was refused by a {@code deny} rule: HAProxy counts it as an HTTP error whatever the status. */
    public void httpDenied(int now) {
        forEach(true, now, StickDataType.HTTP_ERR_CNT, StickDataType.HTTP_ERR_RATE, 1);
    }

    /** Bytes relayed since the last call: client to server ({@code in}) and back ({@code out}). */
    public void bytes(long in, long out, int now) {
        if (in > 0) {
            forEach(true, now, StickDataType.BYTES_IN_CNT, StickDataType.BYTES_IN_RATE, in);
        }
        if (out > 0) {
            forEach(true, now, StickDataType.BYTES_OUT_CNT, StickDataType.BYTES_OUT_RATE, out);
        }
    }

    /** {@code sc-inc-gpc0(N)} / {@code sc-inc-gpc1(N)}: the rate first, then the counter, if stored. */
    public void incGpc(int slot, boolean gpc1, int now) {
        StickTable t = slotTable(slot);
        if (t != null) {
            StickDataType cnt = gpc1 ? StickDataType.GPC1 : StickDataType.GPC0;
            StickDataType rate = gpc1 ? StickDataType.GPC1_RATE : StickDataType.GPC0_RATE;
            if (t.layout().stores(cnt) || t.layout().stores(rate)) {
                t.update(slotKey(slot), now, false, true, e -> {
                    e.add(rate, 1);
                    e.add(cnt, 1);
                });
            }
        }
    }

    /**
     * The end of the stream ({@code stream_store_counters}): each entry tracked by this stream (not those
     * inherited from the connection) gets conn_cur −1 (not below 0) and a fresh expiry; the slots are cleared.
     */
    public void release(int now) {
        for (int i = 0; i < SLOTS; i++) {
            if (key[i] != null) {
                table[i].untrack(key[i], now, e -> {
                    long cur = e.get(StickDataType.CONN_CUR);
                    if (cur > 0) {
                        e.set(StickDataType.CONN_CUR, cur - 1);
                    }
                });
                key[i] = null;
                table[i] = null;
            }
        }
    }

    private StickTable slotTable(int slot) {
        return key[slot] != null ? table[slot] : connection != null ? connection.table[slot] : null;
    }

    private int[] slotKey(int slot) {
        return key[slot] != null ? key[slot] : connection != null ? connection.key[slot] : null;
    }

    /** Adds {@code n} to a counter and its rate in every tracked entry (with the connection's when asked). */
    private void forEach(boolean withConnection, int now, StickDataType cnt, StickDataType rate, long n) {
        for (int i = 0; i < SLOTS; i++) {
            StickTable t = table[i];
            if (key[i] == null && withConnection && connection != null) {
                t = connection.table[i];
            }
            int[] k = key[i] != null ? key[i] : withConnection && connection != null ? connection.key[i] : null;
            if (k != null && (t.layout().stores(cnt) || t.layout().stores(rate))) {
                t.update(k, now, false, true, e -> {
                    e.add(cnt, n);
                    e.add(rate, n);
                });
            }
        }
    }

    @Override
    public Long tracked(int slot, String tableName, String dataType, Op op) {
        StickTable t = slotTable(slot);
        if (t == null) {
            return null;
        }
        int[] k = slotKey(slot);
        if (tableName != null) {
            StickTable other = tables.table(tableName);
            if (other == null || other.spec().type() != t.spec().type()
                    || other.spec().keySize() != t.spec().keySize()) {
                return null;
            }
            t = other;
        }
        return counter(t, k, dataType, op, false);
    }

    @Override
    public Long source(SampleContext ctx, String tableName, String dataType, Op op) {
        StickTable t = tableName != null ? tables.table(tableName) : currentTable(ctx);
        InetSocketAddress src = ctx.source();
        if (t == null || src == null || src.getAddress() == null) {
            return null;
        }
        int[] k = StickKeys.encode(Sample.ofIp(src.getAddress()), t.spec().type(), t.spec().keySize());
        if (k == null) {
            return null;
        }
        return counter(t, k, dataType, op, op == Op.INC);
    }

    /** HAProxy resolves a missing table argument to the rule's own proxy: the backend once chosen, else frontend. */
    private StickTable currentTable(SampleContext ctx) {
        String be = ctx.backendName();
        StickTable t = be == null ? null : tables.table(be);
        return t != null ? t : tables.table(ctx.frontendName());
    }

    /** Reads or changes one counter of {@code k} in {@code t}: 0 when absent, null when the type is not stored. */
    private static Long counter(StickTable t, int[] k, String dataType, Op op, boolean create) {
        StickDataType type = StickDataType.byKeyword(dataType);
        if (type == null) {
            return null;
        }
        StickDataType rate = type == StickDataType.GPC0 ? StickDataType.GPC0_RATE
                : type == StickDataType.GPC1 ? StickDataType.GPC1_RATE : null;
        boolean stored = t.layout().stores(type) || op == Op.INC && rate != null && t.layout().stores(rate);
        long[] out = {0};
        boolean[] missing = {false};
        boolean found = t.update(k, StickClock.now(), create && stored, op == Op.INC || op == Op.CLR, e -> {
            if (!stored) {
                missing[0] = true;
                return;
            }
            switch (op) {
                case GET -> out[0] = e.get(type);
                case KBYTES -> out[0] = e.get(type) >>> 10;
                case INC -> {
                    if (rate != null) {
                        e.add(rate, 1);
                    }
                    e.add(type, 1);
                    out[0] = e.get(type);
                }
                case CLR -> {
                    out[0] = e.get(type);
                    e.set(type, 0);
                }
            }
        });
        if (!found) {
            return 0L;
        }
        return missing[0] ? null : out[0];
    }
}
