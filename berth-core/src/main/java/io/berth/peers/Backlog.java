package io.berth.peers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entries still to push to one remote peer, per table: keys only, coalesced (a key touched a thousand times
 * before the push goes once, with its values read at push time), at most {@code limit} keys per table. Past the
 * limit the keys are dropped and the table is marked for a full push instead, so a slow or absent peer costs a
 * bounded amount of memory whatever the traffic. Thread-safe: request threads add, the section's event loop
 * takes; every method holds this object's monitor briefly.
 */
final class Backlog {
    /** A packed key with value equality. */
    record Key(int[] words) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(k.words, words);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(words);
        }
    }

    private final int limit;
    private final Map<SyncedTable, LinkedHashSet<Key>> pending = new HashMap<>();
    private final Set<SyncedTable> full = new HashSet<>();
    private int size;

    Backlog(int limit) {
        this.limit = limit;
    }

    /** Queues {@code key}; returns true when the backlog was empty (the caller then schedules a push). */
    synchronized boolean add(SyncedTable t, int[] key) {
        boolean wasEmpty = size == 0 && full.isEmpty();
        if (full.contains(t)) {
            return wasEmpty;
        }
        LinkedHashSet<Key> keys = pending.computeIfAbsent(t, x -> new LinkedHashSet<>());
        if (keys.add(new Key(key))) {
            size++;
            if (keys.size() > limit) {
                // overflow: forget the keys, send the whole table instead (bounded memory, eventual consistency)
                size -= keys.size();
                pending.remove(t);
                full.add(t);
            }
        }
        return wasEmpty;
    }

    /** Marks {@code t} for a full push (overflow, or pushes lost with a connection before their ack). */
    synchronized void markFull(SyncedTable t) {
        LinkedHashSet<Key> keys = pending.remove(t);
        if (keys != null) {
            size -= keys.size();
        }
        full.add(t);
    }

    /** Takes and clears the full-push mark of some table, or returns null. */
    synchronized SyncedTable takeFull() {
        Iterator<SyncedTable> it = full.iterator();
        if (!it.hasNext()) {
            return null;
        }
        SyncedTable t = it.next();
        it.remove();
        return t;
    }

    /** Takes up to {@code max} keys of one table (oldest first) into {@code out}; returns that table or null. */
    synchronized SyncedTable take(int max, List<int[]> out) {
        Iterator<Map.Entry<SyncedTable, LinkedHashSet<Key>>> tables = pending.entrySet().iterator();
        if (!tables.hasNext()) {
            return null;
        }
        Map.Entry<SyncedTable, LinkedHashSet<Key>> e = tables.next();
        Iterator<Key> it = e.getValue().iterator();
        while (it.hasNext() && out.size() < max) {
            out.add(it.next().words());
            it.remove();
            size--;
        }
        if (e.getValue().isEmpty()) {
            tables.remove();
        }
        return e.getKey();
    }

    synchronized boolean isEmpty() {
        return size == 0 && full.isEmpty();
    }

    /** Keys waiting (the bound the tests check). */
    synchronized int size() {
        return size;
    }

    synchronized boolean isFull(SyncedTable t) {
        return full.contains(t);
    }

    static List<int[]> newBatch() {
        return new ArrayList<>();
    }
}
