package io.berth.persist.stick;

import java.util.Locale;

/**
 * The data types a stick table can {@code store}, with HAProxy 2.6's ids (the bit numbers of the peers protocol's
 * data bitfield, and the order {@code show table} prints them in) and their storage width. Immutable.
 */
public enum StickDataType {
    SERVER_ID(0, Kind.INT),
    GPT0(1, Kind.INT),
    GPC0(2, Kind.INT),
    GPC0_RATE(3, Kind.RATE),
    CONN_CNT(4, Kind.INT),
    CONN_RATE(5, Kind.RATE),
    CONN_CUR(6, Kind.INT),
    SESS_CNT(7, Kind.INT),
    SESS_RATE(8, Kind.RATE),
    HTTP_REQ_CNT(9, Kind.INT),
    HTTP_REQ_RATE(10, Kind.RATE),
    HTTP_ERR_CNT(11, Kind.INT),
    HTTP_ERR_RATE(12, Kind.RATE),
    BYTES_IN_CNT(13, Kind.U64),
    BYTES_IN_RATE(14, Kind.RATE),
    BYTES_OUT_CNT(15, Kind.U64),
    BYTES_OUT_RATE(16, Kind.RATE),
    GPC1(17, Kind.INT),
    GPC1_RATE(18, Kind.RATE),
    SERVER_KEY(19, Kind.DICT),
    HTTP_FAIL_CNT(20, Kind.INT),
    HTTP_FAIL_RATE(21, Kind.RATE);

    /** How a value is kept: u32 counter, u64 counter, frequency counter (3 words), dictionary id. */
    public enum Kind {
        INT(1), U64(2), RATE(3), DICT(1);

        /** Width in 32-bit words. */
        public final int words;

        Kind(int words) {
            this.words = words;
        }
    }

    private static final StickDataType[] BY_ID = values();

    /** The peers-protocol id (bit number). */
    public final int id;
    public final Kind kind;

    StickDataType(int id, Kind kind) {
        this.id = id;
        this.kind = kind;
    }

    /** HAProxy's keyword, e.g. {@code http_req_rate}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the frequency counters, which take a period argument. */
    public boolean isRate() {
        return kind == Kind.RATE;
    }

    /**
     * The type named {@code word} as a {@code store} option accepts it ({@code server_name} is HAProxy's alias of
     * {@code server_key}), or null when Berth knows no such type.
     */
    public static StickDataType byKeyword(String word) {
        return BY_KEYWORD.get(word);
    }

    private static final java.util.Map<String, StickDataType> BY_KEYWORD = byKeyword();

    private static java.util.Map<String, StickDataType> byKeyword() {
        java.util.Map<String, StickDataType> m = new java.util.HashMap<>();
        for (StickDataType t : BY_ID) {
            m.put(t.keyword(), t);
        }
        m.put("server_name", SERVER_KEY);
        return java.util.Map.copyOf(m);
    }
}
