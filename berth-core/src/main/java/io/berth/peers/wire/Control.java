package io.berth.peers.wire;

/**
 * The two-byte messages of classes 0 (control) and 1 (error), with doc/peers-v2.0.txt's values. Immutable.
 */
public enum Control {
    /** {@code 00 00}: teach me your tables. */
    RESYNC_REQUEST(0, 0),
    /** {@code 00 01}: full resync done and I was up to date. */
    RESYNC_FINISHED(0, 1),
    /** {@code 00 02}: resync done but I was not up to date myself. */
    RESYNC_PARTIAL(0, 2),
    /** {@code 00 03}: ack of 01/02. */
    RESYNC_CONFIRM(0, 3),
    /** {@code 00 04}: sent after 3 s without sending anything else. */
    HEARTBEAT(0, 4),
    /** {@code 01 00}: malformed message; the sender closes. */
    PROTOCOL_ERROR(1, 0),
    /** {@code 01 01}: message over the size limit; the sender closes. */
    SIZE_ERROR(1, 1);

    public final int cls;
    public final int type;

    Control(int cls, int type) {
        this.cls = cls;
        this.type = type;
    }

    /** The message for class/type, or null when it is not one of these. */
    public static Control of(int cls, int type) {
        for (Control c : values()) {
            if (c.cls == cls && c.type == type) {
                return c;
            }
        }
        return null;
    }

    public byte[] bytes() {
        return new byte[] {(byte) cls, (byte) type};
    }
}
