package io.berth.persist.stick;

import java.util.function.IntConsumer;

/**
 * The order in which a {@link StickSegment}'s entries are purged and expired, kept over their positions in the
 * segment's records: {@link ExpiryOrder} (HAProxy's expiry tree, exactly, for tables of one segment) or
 * {@link ClockHand} (CLOCK over the positions, for big segmented tables). The segment calls it under its lock
 * on every insert, deletion and move of an entry, and hands it {@link Entries} to purge or expire with.
 */
abstract class EntryOrder {
    /** What an order reads and does in its segment's records while it purges or expires entries. */
    interface Entries {
        /** The entry's expiry tick. */
        int expiry(int p);

        /** When the entry was last stored or touched: its expiry less the table's {@code expire}. */
        int lastTouch(int p);

        /** A stream tracks the entry: never purged nor expired (HAProxy's {@code ref_cnt}). */
        boolean referenced(int p);

        /** The entry is past its expiry at {@code now}. */
        boolean expired(int p, int now);

        /** Deletes the entry at {@code p}: {@link #remove} first, then {@link #moved} for each entry shifted. */
        void delete(int p);

        /** Entries in the segment. */
        int used();
    }

    /** Queues the new entry at {@code p} as the newest; {@code queueKey} is its expiry when stored. */
    abstract void add(int p, int queueKey, Entries e);

    /** Takes the entry at {@code p} out of the order (it is being deleted). */
    abstract void remove(int p, Entries e);

    /** The entry at {@code from} now lives at {@code to} (a deletion's backward shift). */
    abstract void moved(int from, int to, Entries e);

    /** The entry at {@code p} was touched (its expiry just changed). */
    abstract void touched(int p, Entries e);

    /**
     * Makes room for one entry as HAProxy's {@code __stktable_trash_oldest()}: deletes up to {@code batch} of
     * the oldest entries; returns how many went.
     */
    abstract int purge(int batch, int now, Entries e);

    /** Whether {@link #sweep} has anything to do at {@code now} (a cheap check before the segment's write). */
    abstract boolean sweepDue(int now, Entries e);

    /** Deletes up to {@code budget} expired entries; returns how many entries it visited. */
    abstract int sweep(int now, int budget, Entries e);

    /**
     * The positions of every entry, the oldest first where the order has one, and their queue keys at
     * {@code keys[0..]} (for a rehash).
     */
    abstract int[] oldestFirst(int[] keys, Entries e);

    /** Forgets every entry and sizes the order for {@code positions} positions. */
    abstract void reset(int positions);

    /** Visits the positions of every entry, the newest first where the order has one. */
    abstract void forEachNewestFirst(IntConsumer visitor, Entries e);

    /** Bytes held. */
    abstract long footprint();
}
