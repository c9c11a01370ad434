package io.berth.persist.cookie;

/**
 * A per-thread character buffer the cookie codec parses and edits header values in, so that reading a Cookie or
 * Set-Cookie header allocates nothing unless the header is rewritten (then only the new String). Each event loop
 * has its own buffer, reused by every transaction it runs; values longer than {@link #KEPT} get a one-off array so
 * a single huge header does not stay pinned. The array returned is valid until the thread's next call.
 */
final class Scratch {
    static final int KEPT = 16 * 1024;
    private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[512]);

    private Scratch() {
    }

    /** {@code value}'s characters at index 0 of a buffer at least as long (possibly longer: use the length). */
    static char[] copyOf(String value) {
        int n = value.length();
        char[] b;
        if (n > KEPT) {
            b = new char[n];
        } else {
            b = BUFFER.get();
            if (b.length < n) {
                b = new char[Math.max(n, Math.min(KEPT, b.length * 2))];
                BUFFER.set(b);
            }
        }
        value.getChars(0, n, b, 0);
        return b;
    }
}
