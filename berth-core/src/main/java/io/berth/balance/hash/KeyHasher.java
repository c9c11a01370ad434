package io.berth.balance.hash;

import io.berth.model.BalanceSpec;

/**
 * One of HAProxy's key hash functions, chosen by {@code hash-type ... <function>}. Instances are stateless
 * method references, shared by every thread.
 */
@FunctionalInterface
public interface KeyHasher {
    /** Hash of {@code len} bytes of {@code key} from {@code off}; the int holds the unsigned 32-bit value. */
    int hash(byte[] key, int off, int len);

    /** The function for {@code fn}; sdbm when null (HAProxy's default). */
    static KeyHasher of(BalanceSpec.HashFunction fn) {
        if (fn == null) {
            return Sdbm::hash;
        }
        return switch (fn) {
            case SDBM -> Sdbm::hash;
            case DJB2 -> Djb2::hash;
            case WT6 -> Wt6::hash;
            case CRC32 -> Crc32::hash;
        };
    }
}
