package io.berth.peers.wire;

import java.util.Arrays;
import java.util.List;

/**
 * One entry update (0x80 update, 0x81 incremental, 0x85 timed, 0x86 timed incremental). Immutable.
 *
 * @param msgType    one of {@link StickTableMessages#UPDATE} .. {@link StickTableMessages#UPDATE_TIMED_INCR}
 * @param updateId   the u32 update id (for incremental types: the previous one + 1, not transmitted)
 * @param lifetimeMs remaining lifetime in ms for the timed types, -1 otherwise
 * @param key        the key as it travels: 4 bytes (ip, integer big-endian), 16 (ipv6), the string's bytes
 *                   without NUL, or exactly key-size bytes (binary)
 * @param values     one value per bit of the table definition's bitfield, in ascending type id
 */
public record TableUpdate(int msgType, long updateId, long lifetimeMs, byte[] key, List<DataValue> values) {
    public TableUpdate {
        values = List.copyOf(values);
    }

    public boolean timed() {
        return msgType == StickTableMessages.UPDATE_TIMED || msgType == StickTableMessages.UPDATE_TIMED_INCR;
    }

    /** The value of data type {@code type}, or null when absent. */
    public DataValue value(int type) {
        for (DataValue v : values) {
            if (v.type() == type) {
                return v;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableUpdate u && u.msgType == msgType && u.updateId == updateId
                && u.lifetimeMs == lifetimeMs && Arrays.equals(u.key, key) && u.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + (int) updateId;
    }

    @Override
    public String toString() {
        return "TableUpdate[0x" + Integer.toHexString(msgType) + " id " + updateId + " life " + lifetimeMs
                + " key " + Arrays.toString(key) + " " + values + "]";
    }
}
