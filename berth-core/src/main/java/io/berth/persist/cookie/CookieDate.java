package io.berth.persist.cookie;

/**
 * HAProxy's date encoding inside persistence cookies ({@code s30tob64}/{@code b64tos30} in base64.c): a date is
 * {@code (unix_seconds + 3) >> 2}, a 30-bit count of 4-second steps, written as 5 characters of the alphabet
 * {@code A-Za-z0-9+/}, most significant 6 bits first, no padding. Example: 1795548388 s gives 448887097, written
 * {@code awXk5}; decoding gives back 448887097, i.e. 1795548388 s. Stateless.
 */
public final class CookieDate {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final byte[] REVERSE = new byte[128];

    static {
        java.util.Arrays.fill(REVERSE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            REVERSE[ALPHABET[i]] = (byte) i;
        }
    }

    private CookieDate() {
    }

    /** The 30-bit value HAProxy stores for "now": {@code (seconds + 3) >> 2}. */
    public static int quantize(long unixSeconds) {
        return (int) ((unixSeconds + 3) >> 2);
    }

    /** Appends the 5 characters of the low 30 bits of {@code value}, most significant first. */
    public static void append(StringBuilder out, int value) {
        int in = value;
        for (int i = 0; i < 5; i++) {
            out.append(ALPHABET[(in >> 24) & 0x3F]);
            in <<= 6;
        }
    }

    /** The 5 characters for {@code value}, for tests and tools. */
    public static String encode(int value) {
        StringBuilder sb = new StringBuilder(5);
        append(sb, value);
        return sb.toString();
    }

    /**
     * Decodes 5 characters at {@code from} (the caller guarantees they exist); -1 when any character is outside the
     * alphabet (including the {@code =} padding character), as {@code b64tos30}.
     */
    public static int decode(char[] in, int from) {
        int out = 0;
        for (int i = 0; i < 5; i++) {
            char c = in[from + i];
            int b = c < 128 ? REVERSE[c] : -1;
            if (b < 0) {
                return -1;
            }
            out = (out << 6) + b;
        }
        return out;
    }

    /** {@link #decode(char[], int)} over a String, for tests. */
    public static int decode(String in) {
        return in.length() < 5 ? -1 : decode(in.toCharArray(), 0);
    }
}
