package io.berth.peers;

import io.berth.model.StickTableSpec;
import io.berth.peers.wire.DataKind;
import io.berth.peers.wire.DataValue;
import io.berth.peers.wire.TableDefinition;
import io.berth.peers.wire.TableUpdate;
import io.berth.persist.stick.ServerKeys;
import io.berth.persist.stick.StickDataLayout;
import io.berth.persist.stick.StickDataType;
import io.berth.persist.stick.StickEntry;
import io.berth.persist.stick.StickTable;

import java.util.ArrayList;
import java.util.List;

/**
 * One stick table as the peers protocol sees it: its definition (wire name, key type and size, data bitfield,
 * periods, expire) and the conversions between the table's packed keys and entries and wire keys and values.
 * Immutable; its methods lock the table through {@link StickTable}'s own API, so any thread may call them.
 *
 * <p>HAProxy syncs two tables when wire name, key type and key size are equal; data types may differ and only
 * the common ones are applied ({@code peer_treat_definemsg}). Received values overwrite local ones, except
 * {@code conn_cur}, which is never learned.
 */
public final class SyncedTable {
    private final StickTable table;
    private final TableDefinition definition;
    private final int keyType;

    /** @param tableId this side's id for the table in its definitions (1..n) */
    public SyncedTable(StickTable table, int tableId) {
        this.table = table;
        StickTableSpec spec = table.spec();
        this.keyType = switch (spec.type()) {
            case INTEGER -> TableDefinition.KEY_INTEGER;
            case IP -> TableDefinition.KEY_IP;
            case IPV6 -> TableDefinition.KEY_IPV6;
            case STRING -> TableDefinition.KEY_STRING;
            case BINARY -> TableDefinition.KEY_BINARY;
        };
        StickDataLayout layout = table.layout();
        long bits = 0;
        long[] periods = new long[DataKind.MAX_TYPE + 1];
        for (StickDataType t : layout.stored()) {
            bits |= 1L << t.id;
            periods[t.id] = layout.period(t);
        }
        this.definition = new TableDefinition(tableId, spec.wireName(), keyType, spec.keySize(), bits, spec.expireMs(),
                periods, null);
    }

    public StickTable table() {
        return table;
    }

    public TableDefinition definition() {
        return definition;
    }

    /** True when updates of the other side's table {@code d} apply to this one. */
    public boolean matches(TableDefinition d) {
        return d.name().equals(definition.name()) && d.keyType() == keyType && d.keySize() == definition.keySize();
    }

    /** The packed table key ({@link io.berth.persist.stick.StickKeys}' layout) of a wire key. */
    public int[] tableKey(byte[] wire) {
        int size = definition.keySize();
        int[] k = new int[(size + 3) / 4];
        int n = Math.min(wire.length, keyType == TableDefinition.KEY_STRING ? size - 1 : size);
        for (int i = 0; i < n; i++) {
            k[i >> 2] |= (wire[i] & 0xff) << (24 - 8 * (i & 3));
        }
        return k;
    }

    /** The wire key of a packed table key: a string without its NUL padding, other types whole. */
    public byte[] wireKey(int[] key) {
        int size = keyType == TableDefinition.KEY_IP || keyType == TableDefinition.KEY_INTEGER ? 4
                : definition.keySize();
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (key[i >> 2] >>> (24 - 8 * (i & 3)));
        }
        if (keyType == TableDefinition.KEY_STRING) {
            int n = 0;
            while (n < b.length - 1 && b[n] != 0) {
                n++;
            }
            return java.util.Arrays.copyOf(b, n);
        }
        return b;
    }

    /**
     * The values of an entry in definition order. A rate travels as HAProxy sends its {@code freq_ctr}: ms since
     * the current period started ({@code now - curr_tick}, unsigned), current count, previous count, so the
     * receiver rebuilds the same counter against its own clock and reads the same rate.
     */
    public List<DataValue> values(StickEntry e) {
        List<DataValue> out = new ArrayList<>();
        for (StickDataType t : table.layout().stored()) {
            switch (t.kind) {
                case INT, U64 -> out.add(DataValue.counter(t.id, e.get(t)));
                case RATE -> {
                    int[] w = e.rateWords(t);
                    out.add(DataValue.freq(t.id, (e.now() - w[0]) & 0xffffffffL, w[1] & 0xffffffffL,
                            w[2] & 0xffffffffL));
                }
                case DICT -> out.add(DataValue.serverKey(t.id, ServerKeys.name((int) e.get(t))));
            }
        }
        return out;
    }

    /** Reads the entry of {@code key} now; null when it is gone (deletions are not replicated). */
    public List<DataValue> read(int[] key, int now) {
        List<List<DataValue>> box = new ArrayList<>(1);
        table.update(key, now, false, false, e -> box.add(values(e)));
        return box.isEmpty() ? null : box.get(0);
    }

    /**
     * Applies a received update silently ({@link StickTable#learn}: not re-propagated): creates or refreshes the
     * entry, with the remaining lifetime a timed update carries (teaching, hand-over on reload) or the local
     * {@code expire}, and overwrites the common data types except {@code conn_cur}; rates get the sender's raw
     * {@code freq_ctr} words rebased on this clock ({@code curr_tick = now - age}, as src/peers.c does). Returns
     * false when the table refused the key (full with {@code nopurge}).
     */
    public boolean apply(TableUpdate u, int now) {
        int[] key = tableKey(u.key());
        return table.learn(key, now, u.timed() ? u.lifetimeMs() : -1, e -> write(e, u, now));
    }

    private static void write(StickEntry e, TableUpdate u, int now) {
        for (DataValue v : u.values()) {
            if (v.type() > StickDataType.HTTP_FAIL_RATE.id || v.type() == StickDataType.CONN_CUR.id) {
                continue;
            }
            StickDataType t = StickDataType.values()[v.type()];
            if (!e.stores(t)) {
                continue;
            }
            switch (t.kind) {
                case INT, U64 -> e.set(t, v.value());
                case RATE -> e.setRateWords(t, now - (int) v.values()[0], (int) v.values()[1],
                        (int) v.values()[2]);
                case DICT -> e.set(t, v.text() == null ? 0 : ServerKeys.intern(v.text()));
            }
        }
    }
}
