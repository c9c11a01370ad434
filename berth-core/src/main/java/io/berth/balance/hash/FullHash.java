package io.berth.balance.hash;

/**
 * HAProxy's {@code full_hash()} (include/haproxy/tools.h): Bob Jenkins' 6-shift 32-bit integer mix followed by a
 * multiplication by 3221225473. Used as the {@code avalanche} modifier and to place consistent-hash ring points.
 * Every step is invertible, so it is a bijection on 32-bit values: two different ring keys never collide.
 * Stateless; any thread.
 */
public final class FullHash {
    private FullHash() {
    }

    /** Mixes {@code a} (read as unsigned 32 bits); the result is the unsigned 32-bit value in an int. */
    public static int of(int a) {
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return a * (int) 3221225473L;
    }
}
