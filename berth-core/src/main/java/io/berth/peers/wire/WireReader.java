package io.berth.peers.wire;

/**
 * A bounds-checked cursor over one message payload: every read past the end becomes a
 * {@link PeerProtocolException} naming what was being read, never an index exception. Single-threaded.
 */
public final class WireReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public WireReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public WireReader(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    public int u8() throws PeerProtocolException {
        if (pos >= end) {
            throw new PeerProtocolException("message truncated at byte " + pos);
        }
        return buf[pos++] & 0xff;
    }

    /** A big-endian u32 (update ids, lifetimes, integer and ip keys). */
    public long u32() throws PeerProtocolException {
        need(4, "u32");
        long v = (buf[pos] & 0xffL) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
                | buf[pos + 3] & 0xff;
        pos += 4;
        return v;
    }

    public long varint() throws PeerProtocolException {
        return Varint.read(this);
    }

    /** A varint used as a length or count: refused when it exceeds what is left or {@code max}. */
    public int length(String what, long max) throws PeerProtocolException {
        long v = varint();
        if (Long.compareUnsigned(v, Math.min(max, remaining())) > 0) {
            throw new PeerProtocolException(what + " " + Long.toUnsignedString(v) + " exceeds the "
                    + Math.min(max, remaining()) + " bytes available");
        }
        return (int) v;
    }

    public byte[] bytes(int n, String what) throws PeerProtocolException {
        need(n, what);
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** A reader over the next {@code n} bytes, which this one skips. */
    public WireReader slice(int n, String what) throws PeerProtocolException {
        need(n, what);
        WireReader r = new WireReader(buf, pos, pos + n);
        pos += n;
        return r;
    }

    private void need(int n, String what) throws PeerProtocolException {
        if (n < 0 || end - pos < n) {
            throw new PeerProtocolException(what + " truncated: " + n + " bytes needed, " + (end - pos) + " left");
        }
    }
}
