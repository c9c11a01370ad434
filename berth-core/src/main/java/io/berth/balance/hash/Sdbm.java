package io.berth.balance.hash;

/**
 * The sdbm hash HAProxy uses by default for {@code uri}, {@code url_param} and {@code hdr()} balancing
 * ({@code hash_sdbm} in HAProxy's src/hash.c). Stateless; any thread.
 *
 * <p>Per byte c (unsigned): {@code h = c + (h << 6) + (h << 16) - h}, modulo 2^32, starting at 0.
 * Example: {@code "a"} (0x61) gives 97; {@code "ab"} gives 98 + 97*64 + 97*65536 - 97 = 6363201.
 */
public final class Sdbm {
    private Sdbm() {
    }

    /** Hash of {@code len} bytes of {@code key} from {@code off}; the int holds the unsigned 32-bit value. */
    public static int hash(byte[] key, int off, int len) {
        int h = 0;
        for (int i = off, end = off + len; i < end; i++) {
            int c = key[i] & 0xff;
            h = c + (h << 6) + (h << 16) - h;
        }
        return h;
    }
}
