package io.berth.persist.stick;

import io.berth.model.StickTableSpec;
import io.berth.sample.Sample;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Converts a sample into a table key as HAProxy's {@code smp_to_stkey()} does after {@code sample_convert()} to
 * the table's type, and prints keys as {@code show table} does. Keys are big-endian packed into
 * {@code ceil(keySize/4)} ints, zero padded: ip = the address; ipv6 = 16 bytes; integer = the value as u32;
 * string = at most {@code keySize-1} bytes (HAProxy keeps a NUL), so longer values are truncated on store and
 * on lookup alike; binary = at most {@code keySize} bytes, zero padded. Stateless and thread-safe.
 */
public final class StickKeys {
    private StickKeys() {
    }

    /** The encoded key for {@code s}, or null when the sample cannot be converted to the table's type. */
    public static int[] encode(Sample s, StickTableSpec.KeyType type, int keySize) {
        if (s == null) {
            return null;
        }
        return switch (type) {
            case IP -> {
                Integer v = ipv4(s);
                yield v == null ? null : new int[] {v};
            }
            case INTEGER -> {
                Long v = integer(s);
                yield v == null ? null : new int[] {(int) v.longValue()};
            }
            case IPV6 -> {
                byte[] b = ipv6(s);
                yield b == null ? null : pack(b, 16);
            }
            case STRING -> {
                byte[] b = bytes(s.asString());
                yield pack(b, Math.min(b.length, keySize - 1), keySize);
            }
            case BINARY -> {
                byte[] b = binary(s);
                yield pack(b, Math.min(b.length, keySize), keySize);
            }
        };
    }

    /** IPv4 as a u32: an IPv6 address only when v4-mapped ({@code ::ffff:a.b.c.d}) or 6to4 (2002::/16). */
    private static Integer ipv4(Sample s) {
        return switch (s.type()) {
            case IP, STR -> {
                InetAddress a = s.asIp();
                if (a instanceof Inet4Address) {
                    yield bits(a.getAddress(), 0);
                }
                if (a instanceof Inet6Address) {
                    byte[] b = a.getAddress();
                    if (isV4Mapped(b)) {
                        yield bits(b, 12);
                    }
                    if ((b[0] & 0xff) == 0x20 && b[1] == 0x02) {
                        yield bits(b, 2);
                    }
                }
                yield null;
            }
            // HAProxy's c_int2ip: the low 32 bits of the integer
            case INT, BOOL -> (int) s.asLong().longValue();
        };
    }

    private static Long integer(Sample s) {
        if (s.type() == Sample.Type.IP && !(s.asIp() instanceof Inet4Address)) {
            return null;
        }
        Long v = s.asLong();
        return v == null ? null : v & 0xffffffffL;
    }

    /** IPv4 becomes {@code ::ffff:a.b.c.d}; integers go through IPv4 first, as HAProxy's c_int2ipv6. */
    private static byte[] ipv6(Sample s) {
        InetAddress a;
        if (s.type() == Sample.Type.INT || s.type() == Sample.Type.BOOL) {
            int v = (int) s.asLong().longValue();
            a = v4((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
        } else {
            a = s.asIp();
        }
        if (a instanceof Inet6Address) {
            return a.getAddress();
        }
        if (a instanceof Inet4Address) {
            byte[] b = new byte[16];
            b[10] = (byte) 0xff;
            b[11] = (byte) 0xff;
            System.arraycopy(a.getAddress(), 0, b, 12, 4);
            return b;
        }
        return null;
    }

    private static InetAddress v4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HAProxy's casts to binary: strings as their bytes, IPv4 4 bytes, IPv6 16, integers 8 bytes big-endian. */
    private static byte[] binary(Sample s) {
        return switch (s.type()) {
            case STR -> bytes(s.asString());
            case IP -> s.asIp().getAddress();
            case INT, BOOL -> {
                long v = s.asLong();
                byte[] b = new byte[8];
                for (int i = 0; i < 8; i++) {
                    b[i] = (byte) (v >>> (56 - 8 * i));
                }
                yield b;
            }
        };
    }

    /** Header text reaches Berth as ISO-8859-1 (one char per byte); other text is UTF-8 encoded. */
    static byte[] bytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static int bits(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static int[] pack(byte[] b, int size) {
        return pack(b, size, size);
    }

    private static int[] pack(byte[] b, int len, int keySize) {
        int[] k = new int[(keySize + 3) / 4];
        for (int i = 0; i < len; i++) {
            k[i >> 2] |= (b[i] & 0xff) << (24 - 8 * (i & 3));
        }
        return k;
    }

    private static byte[] unpack(int[] k, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (k[i >> 2] >>> (24 - 8 * (i & 3)));
        }
        return b;
    }

    /**
     * The key as {@code show table} prints it: dotted IPv4, compressed IPv6, unsigned decimal, the string up to
     * its first NUL, binary as hex of the whole key.
     */
    public static String format(int[] key, StickTableSpec.KeyType type, int keySize) {
        return switch (type) {
            case IP -> ((key[0] >>> 24) & 0xff) + "." + ((key[0] >>> 16) & 0xff) + "." + ((key[0] >>> 8) & 0xff)
                    + "." + (key[0] & 0xff);
            case INTEGER -> Long.toString(key[0] & 0xffffffffL);
            case IPV6 -> {
                byte[] b = unpack(key, 16);
                if (isV4Mapped(b)) {
                    // the JDK turns a v4-mapped address into an Inet4Address; inet_ntop prints ::ffff:a.b.c.d
                    yield "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "."
                            + (b[15] & 0xff);
                }
                try {
                    yield Sample.formatIp(InetAddress.getByAddress(b));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            case STRING -> {
                byte[] b = unpack(key, keySize);
                int n = 0;
                while (n < b.length && b[n] != 0) {
                    n++;
                }
                yield new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            case BINARY -> {
                StringBuilder sb = new StringBuilder();
                for (byte x : unpack(key, keySize)) {
                    sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
                }
                yield sb.toString();
            }
        };
    }
}
