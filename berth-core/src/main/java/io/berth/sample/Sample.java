package io.berth.sample;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One typed sample value, as HAProxy's {@code struct sample}: a boolean, a signed 64-bit integer, an IPv4/IPv6
 * address or a string. Immutable; created per evaluation on whichever thread evaluates. Casts follow HAProxy's
 * {@code sample_casts} table: anything prints as a string, strings parse to integers (leading digits) and to
 * addresses (strict), addresses never become integers except IPv4 (its 32-bit value).
 */
public final class Sample {
    /** The type of a sample; also the declared output type of fetches and converters. */
    public enum Type { BOOL, INT, IP, STR }

    private final Type type;
    private final long num;
    private final InetAddress ip;
    private final String str;

    private Sample(Type type, long num, InetAddress ip, String str) {
        this.type = type;
        this.num = num;
        this.ip = ip;
        this.str = str;
    }

    public static Sample ofString(String s) {
        return new Sample(Type.STR, 0, null, s);
    }

    public static Sample ofInt(long v) {
        return new Sample(Type.INT, v, null, null);
    }

    public static Sample ofBool(boolean b) {
        return new Sample(Type.BOOL, b ? 1 : 0, null, null);
    }

    public static Sample ofIp(InetAddress a) {
        return new Sample(Type.IP, 0, a, null);
    }

    public Type type() {
        return type;
    }

    /** The value as text: integers in decimal, booleans as 0/1, IPv6 in its compressed form as inet_ntop. */
    public String asString() {
        return switch (type) {
            case STR -> str;
            case INT, BOOL -> Long.toString(num);
            case IP -> formatIp(ip);
        };
    }

    /** The value as an integer, or null when it has none (a string without leading digits, an IPv6 address). */
    public Long asLong() {
        return switch (type) {
            case INT, BOOL -> num;
            case IP -> ip instanceof Inet4Address ? (long) ipv4Bits(ip) & 0xffffffffL : null;
            case STR -> parseLeadingInt(str);
        };
    }

    /** The value as an address, or null when it is not one (strings are parsed strictly, no DNS). */
    public InetAddress asIp() {
        return switch (type) {
            case IP -> ip;
            case STR -> parseIp(str);
            case INT, BOOL -> null;
        };
    }

    /** HAProxy's str→int cast: optional sign and the leading digits; null when there are none. */
    static Long parseLeadingInt(String s) {
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i == start) {
            return null;
        }
        return neg ? -v : v;
    }

    /** Parses a literal IPv4 or IPv6 address without any name resolution; null when it is not one. */
    static InetAddress parseIp(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            if (s.indexOf(':') >= 0) {
                if (!s.matches("[0-9A-Fa-f:.]+")) {
                    return null;
                }
                return InetAddress.getByName(s);
            }
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                    return null;
                }
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static int ipv4Bits(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** Formats like inet_ntop: IPv4 dotted, IPv6 lower-case with the longest run (≥ 2) of zero groups as "::". */
    public static String formatIp(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return type + ":" + asString();
    }
}
