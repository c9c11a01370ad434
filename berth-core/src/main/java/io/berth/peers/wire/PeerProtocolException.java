package io.berth.peers.wire;

/**
 * A peer sent something the protocol does not allow (truncated varint, oversized message, unknown table id, key
 * of the wrong size...). The only exception the decoders throw: the session logs {@link #getMessage()} as the
 * reason and closes that connection, the tables stay untouched. Immutable.
 */
public final class PeerProtocolException extends Exception {
    private final boolean sizeLimit;

    public PeerProtocolException(String reason) {
        this(reason, false);
    }

    private PeerProtocolException(String reason, boolean sizeLimit) {
        super(reason, null, false, false);
        this.sizeLimit = sizeLimit;
    }

    /** A message longer than {@link PeerFrames#MAX_PAYLOAD}: answered with {@code 01 01} instead of {@code 01 00}. */
    public static PeerProtocolException sizeLimit(long length) {
        return new PeerProtocolException("message of " + length + " bytes exceeds the " + PeerFrames.MAX_PAYLOAD
                + "-byte limit", true);
    }

    public boolean isSizeLimit() {
        return sizeLimit;
    }
}
