package io.berth.peers;

import io.berth.peers.wire.TableDefinition;
import io.berth.persist.stick.StickTable;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of one {@code peers} section and what each remote peer still has to receive. The request path calls
 * {@link #touched} after it changes an entry (a cheap, bounded queue insert, see {@link Backlog}); the section's
 * event loop later reads the entries and sends them ({@link #push}), or teaches a whole table set on a resync
 * request ({@link #teach}). Thread-safe as described on each method.
 */
public final class TableSync {
    /** Keys queued per table per peer before falling back to a full push of that table. */
    public static final int DEFAULT_BACKLOG = 100_000;
    /** Updates per pushed batch (one write and flush). */
    static final int BATCH = 64;

    private final List<SyncedTable> tables = new ArrayList<>();
    private final Map<StickTable, SyncedTable> byTable = new IdentityHashMap<>();
    private final Map<String, Backlog> backlogs = new LinkedHashMap<>();
    private volatile Runnable wake = () -> { };

    /**
     * @param tables  the section's tables in declaration order (their wire ids are 1..n in that order)
     * @param remotes the names of the remote peers
     */
    public TableSync(Collection<StickTable> tables, Collection<String> remotes, int backlogLimit) {
        int id = 1;
        for (StickTable t : tables) {
            SyncedTable s = new SyncedTable(t, id++);
            this.tables.add(s);
            byTable.put(t, s);
        }
        remotes.forEach(r -> backlogs.put(r, new Backlog(backlogLimit)));
    }

    /** Set by the section: schedules a push on its event loop. */
    void onWork(Runnable wake) {
        this.wake = wake;
    }

    public List<SyncedTable> tables() {
        return tables;
    }

    /**
     * Queues the entry of {@code key} in {@code table} for every remote peer (any thread; O(1); never blocks on
     * the network). Tables not in this section are ignored. Entries learned from peers must not be passed here:
     * HAProxy does not re-propagate them (every member talks to every other).
     */
    public void touched(StickTable table, int[] key) {
        SyncedTable t = byTable.get(table);
        if (t == null) {
            return;
        }
        boolean wakeUp = false;
        for (Backlog b : backlogs.values()) {
            wakeUp |= b.add(t, key.clone());
        }
        if (wakeUp) {
            wake.run();
        }
    }

    /** The local table a definition received from a peer refers to, or null (its updates are then ignored). */
    SyncedTable match(TableDefinition d) {
        for (SyncedTable t : tables) {
            if (t.matches(d)) {
                return t;
            }
        }
        return null;
    }

    Backlog backlog(String peer) {
        return backlogs.get(peer);
    }

    /** Writes every table (definition, then each live entry as a timed update). Event loop only. */
    void teach(ByteBuf out, PeerOutbound o, int now) {
        for (SyncedTable t : tables) {
            teach(out, o, t, now);
        }
    }

    private static void teach(ByteBuf out, PeerOutbound o, SyncedTable t, int now) {
        o.define(out, t);
        t.table().forEach(now, (key, entry, left) ->
                o.update(out, t, t.wireKey(key), t.values(entry), Math.max(left, 0)));
    }

    /**
     * Writes one batch of what {@code peer} still needs: a whole table marked for a full push, else up to
     * {@link #BATCH} queued entries of one table (read now; entries gone meanwhile are skipped). Event loop only.
     * Returns false when there was nothing to send.
     */
    boolean push(String peer, ByteBuf out, PeerOutbound o, int now) {
        Backlog b = backlogs.get(peer);
        SyncedTable full = b.takeFull();
        if (full != null) {
            teach(out, o, full, now);
            return true;
        }
        List<int[]> keys = Backlog.newBatch();
        SyncedTable t = b.take(BATCH, keys);
        if (t == null) {
            return false;
        }
        o.startBatch();
        for (int[] k : keys) {
            var values = t.read(k, now);
            if (values != null) {
                o.update(out, t, t.wireKey(k), values, -1);
            }
        }
        return true;
    }
}
