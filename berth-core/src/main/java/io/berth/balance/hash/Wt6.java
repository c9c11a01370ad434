package io.berth.balance.hash;

/**
 * Willy Tarreau's wt6 hash ({@code hash_wt6}, {@code hash-type ... wt6}): two 32-bit lanes that invert, add and
 * rotate by amounts taken from the running state. Stateless; any thread.
 *
 * <p>Per byte t: {@code h0 = ~(h0 ^ t); h1 = ~(h1 + t); x = rotl(h1, s0); h1 = rotl(h0, s1); h0 = x;}
 * then the next rotations come from {@code ((h0 >> 16) ^ h1) & 0xffff}: {@code s0 = low 5 bits, s1 = bits 11..15}.
 * The result is {@code h0 ^ h1}. A rotation by 0 is the identity (Java's {@link Integer#rotateLeft} agrees).
 */
public final class Wt6 {
    private Wt6() {
    }

    /** Hash of {@code len} bytes of {@code key} from {@code off}; the int holds the unsigned 32-bit value. */
    public static int hash(byte[] key, int off, int len) {
        int h0 = 0xa53c965a;
        int h1 = 0x5ca6953a;
        int step0 = 6;
        int step1 = 18;
        for (int i = off, end = off + len; i < end; i++) {
            int t = key[i] & 0xff;
            h0 = ~(h0 ^ t);
            h1 = ~(h1 + t);
            t = Integer.rotateLeft(h1, step0);
            h1 = Integer.rotateLeft(h0, step1);
            h0 = t;
            t = ((h0 >>> 16) ^ h1) & 0xffff;
            step0 = t & 0x1f;
            step1 = t >>> 11;
        }
        return h0 ^ h1;
    }
}
