package io.berth.persist.stick;

import io.berth.model.StickTableSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where each stored data type lives inside an entry's slice of the table's {@code int[]} data array, compiled
 * once from the {@code store} list (plus {@code server_id}/{@code server_key}, which HAProxy adds to any table a
 * stick rule uses). Immutable; shared by all segments and threads.
 */
public final class StickDataLayout {
    private final int[] offsets = new int[StickDataType.values().length];
    private final int[] periods = new int[StickDataType.values().length];
    private final List<StickDataType> stored;
    private final int words;

    /**
     * @param spec  the table
     * @param extra types added by the configuration check (rules using the table), may be empty
     * @throws IllegalArgumentException for a rate without period (the parser already refuses it)
     */
    public StickDataLayout(StickTableSpec spec, Set<StickDataType> extra) {
        java.util.Arrays.fill(offsets, -1);
        EnumSet<StickDataType> all = EnumSet.noneOf(StickDataType.class);
        for (StickTableSpec.StoreSpec s : spec.store()) {
            StickDataType t = StickDataType.byKeyword(s.dataType());
            if (t == null) {
                throw new IllegalArgumentException("unknown store option '" + s.dataType() + "'");
            }
            if (t.isRate()) {
                if (s.period() <= 0) {
                    throw new IllegalArgumentException("missing argument to store option '" + s.dataType() + "'");
                }
                periods[t.ordinal()] = (int) s.period();
            }
            all.add(t);
        }
        all.addAll(extra);
        int at = 0;
        List<StickDataType> list = new ArrayList<>();
        for (StickDataType t : all) {
            offsets[t.ordinal()] = at;
            at += t.kind.words;
            list.add(t);
        }
        this.stored = Collections.unmodifiableList(list);
        this.words = at;
    }

    /** The word offset of {@code type} inside an entry, or -1 when the table does not store it. */
    public int offset(StickDataType type) {
        return offsets[type.ordinal()];
    }

    public boolean stores(StickDataType type) {
        return offsets[type.ordinal()] >= 0;
    }

    /** A rate's period in ms (0 for other types). */
    public int period(StickDataType type) {
        return periods[type.ordinal()];
    }

    /** Stored types in id order (the order {@code show table} prints). */
    public List<StickDataType> stored() {
        return stored;
    }

    /** Words of data per entry. */
    public int words() {
        return words;
    }
}
