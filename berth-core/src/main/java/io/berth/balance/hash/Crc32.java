package io.berth.balance.hash;

/**
 * The IEEE CRC-32 HAProxy offers as {@code hash-type ... crc32} ({@code hash_crc32}): reflected polynomial
 * 0xEDB88320, initial value and final value inverted, so it equals {@link java.util.zip.CRC32}. Stateless; any thread.
 *
 * <p>Table-driven here (one lookup per byte) instead of HAProxy's bit loop; the results are identical.
 * Example: {@code "123456789"} gives 0xCBF43926, the standard check value.
 */
public final class Crc32 {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xEDB88320 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32() {
    }

    /** CRC-32 of {@code len} bytes of {@code key} from {@code off}; the int holds the unsigned 32-bit value. */
    public static int hash(byte[] key, int off, int len) {
        int h = ~0;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h >>> 8) ^ TABLE[(h ^ key[i]) & 0xff];
        }
        return ~h;
    }
}
