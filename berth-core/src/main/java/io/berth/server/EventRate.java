package io.berth.server;

/**
 * Events per second as HAProxy's {@code freq_ctr} over a one-second period: the count of the current calendar
 * second plus the previous second's count weighted by the part of the period still ahead, and the highest count
 * seen in one second (the {@code *_max} columns of {@code show stat}). Example: 6 events in second 41 and 2 so
 * far in second 42, read at 42.250 s: {@code 2 + 6 * 750 / 1000 = 6}. Shared by the event loops: updates take a
 * short monitor, which is cheaper than it looks at one update per connection or request.
 */
public final class EventRate {
    private long second = Long.MIN_VALUE;
    private int curr;
    private int prev;
    private int max;

    /** Counts one event at {@code nowMs} (epoch ms). */
    public synchronized void add(long nowMs) {
        rotate(nowMs / 1000);
        curr++;
        if (curr > max) {
            max = curr;
        }
    }

    /** The current rate at {@code nowMs}. */
    public synchronized int read(long nowMs) {
        rotate(nowMs / 1000);
        long age = Math.floorMod(nowMs, 1000L);
        return curr + (int) ((long) prev * (1000 - age) / 1000);
    }

    /** The most events counted in one second since start. */
    public synchronized int max() {
        return max;
    }

    private void rotate(long s) {
        if (s == second) {
            return;
        }
        prev = s == second + 1 ? curr : 0;
        curr = 0;
        second = s;
    }
}
