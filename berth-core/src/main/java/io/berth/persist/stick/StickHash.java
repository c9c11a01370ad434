package io.berth.persist.stick;

/**
 * The hash of an encoded stick-table key ({@link StickKeys}): its top bits choose the segment, the others the home
 * position in it. murmur3's mixing over the key words, its finaliser alone for one-word keys (ip, integer).
 * Stateless.
 */
final class StickHash {
    private StickHash() {
    }

    /** The hash of the {@code words} key words from {@code k[off]}. */
    static int hash(int[] k, int off, int words) {
        if (words == 1) {
            return hash1(k[off]);
        }
        int h = 0x9747b28c;
        for (int i = 0; i < words; i++) {
            h = Integer.rotateLeft(h ^ k[off + i] * 0xcc9e2d51, 13) * 5 + 0xe6546b64;
        }
        return fmix(h);
    }

    /** One-word keys: murmur3's finaliser alone (two multiplies), a bijection whose high and low bits both mix. */
    static int hash1(int k) {
        return fmix(k ^ 0x9747b28c);
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ h >>> 16;
    }
}
