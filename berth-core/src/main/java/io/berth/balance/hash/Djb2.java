package io.berth.balance.hash;

/**
 * Bernstein's djb2 as HAProxy computes it ({@code hash_djb2}, {@code hash-type ... djb2}). Stateless; any thread.
 *
 * <p>{@code h = 5381; h = h * 33 + c} per unsigned byte, modulo 2^32. Example: {@code "a"} gives 5381*33+97 = 177670.
 */
public final class Djb2 {
    private Djb2() {
    }

    /** Hash of {@code len} bytes of {@code key} from {@code off}; the int holds the unsigned 32-bit value. */
    public static int hash(byte[] key, int off, int len) {
        int h = 5381;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h << 5) + h + (key[i] & 0xff);
        }
        return h;
    }
}
