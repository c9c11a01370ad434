package io.berth.peers.wire;

import java.util.Arrays;

/**
 * One stored value in an update: a counter ({@code values = {v}}), a frequency counter ({@code {ms since the
 * current period started, current count, previous count}}), {@code server_key} ({@code text}, null for "no
 * value"), or an array ({@code values} per element, three per element for {@code gpc_rate}). Immutable once
 * built.
 */
public record DataValue(int type, long[] values, String text) {
    public static DataValue counter(int type, long v) {
        return new DataValue(type, new long[] {v}, null);
    }

    public static DataValue freq(int type, long sinceTick, long curr, long prev) {
        return new DataValue(type, new long[] {sinceTick, curr, prev}, null);
    }

    public static DataValue serverKey(int type, String text) {
        return new DataValue(type, new long[0], text);
    }

    /** The counter's value (first element). */
    public long value() {
        return values[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataValue d && d.type == type && Arrays.equals(d.values, values)
                && java.util.Objects.equals(d.text, text);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return type + "=" + (text != null ? text : Arrays.toString(values));
    }
}
