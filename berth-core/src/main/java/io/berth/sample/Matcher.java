package io.berth.sample;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The patterns of one ACL compiled for its match method: strings (lower-cased once under {@code -i}), regexes
 * compiled once, integer ranges, address/mask pairs. {@link #matches} says whether one sample matches any
 * pattern. Immutable, thread-safe.
 */
final class Matcher {
    private final MatchMethod method;
    private final boolean ignoreCase;
    private final List<String> strings = new ArrayList<>();
    private final List<Pattern> regexes = new ArrayList<>();
    private final List<long[]> ranges = new ArrayList<>();
    private final List<byte[][]> networks = new ArrayList<>();

    /**
     * @throws SampleException with HAProxy's wording for a pattern the method cannot read: a bad address, a
     *                         bad number or operator, a bad range, a bad regex
     */
    Matcher(MatchMethod method, boolean ignoreCase, List<String> patterns) throws SampleException {
        this.method = method;
        this.ignoreCase = ignoreCase;
        switch (method) {
            case FOUND, BOOL -> {
                // HAProxy ignores patterns for these two: the presence or truth of the sample decides.
            }
            case INT, LEN -> parseIntegers(patterns);
            case IP -> {
                for (String p : patterns) {
                    networks.add(parseNetwork(p));
                }
            }
            case REG -> {
                for (String p : patterns) {
                    try {
                        regexes.add(Pattern.compile(p, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
                    } catch (PatternSyntaxException e) {
                        throw new SampleException("regex '" + p + "' is invalid (error=" + e.getDescription()
                                + ", erroffset=" + Math.max(e.getIndex(), 0) + ")");
                    }
                }
            }
            default -> {
                for (String p : patterns) {
                    strings.add(ignoreCase ? p.toLowerCase(Locale.ROOT) : p);
                }
            }
        }
    }

    /** Whether {@code s} (never null: absent samples never reach a matcher) matches a pattern. */
    boolean matches(Sample s) {
        switch (method) {
            case FOUND:
                return true;
            case BOOL: {
                Long v = s.asLong();
                return v != null && v != 0;
            }
            case INT: {
                Long v = s.asLong();
                return v != null && inRanges(v);
            }
            case LEN:
                return inRanges(s.asString().length());
            case IP: {
                InetAddress ip = s.asIp();
                return ip != null && inNetworks(ip.getAddress());
            }
            case REG: {
                String v = s.asString();
                for (Pattern p : regexes) {
                    if (p.matcher(v).find()) {
                        return true;
                    }
                }
                return false;
            }
            default: {
                String v = ignoreCase ? s.asString().toLowerCase(Locale.ROOT) : s.asString();
                for (String p : strings) {
                    if (matchString(v, p)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    private boolean matchString(String v, String p) {
        return switch (method) {
            case STR, BIN -> v.equals(p);
            case BEG -> v.startsWith(p);
            case END -> v.endsWith(p);
            case SUB -> v.contains(p);
            case DIR -> matchWord(v, p, "/");
            case DOM -> matchWord(v, p, "/?.:");
            default -> false;
        };
    }

    /**
     * {@code dir}/{@code dom}: the pattern, stripped of delimiters at both ends, must appear in the value
     * bounded on each side by a delimiter or the end of the value. {@code dom} pattern {@code example.com}
     * matches {@code www.example.com:80} but not {@code myexample.com}.
     */
    static boolean matchWord(String v, String pattern, String delims) {
        int a = 0;
        int b = pattern.length();
        while (a < b && delims.indexOf(pattern.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && delims.indexOf(pattern.charAt(b - 1)) >= 0) {
            b--;
        }
        String p = pattern.substring(a, b);
        if (p.isEmpty()) {
            return false;
        }
        for (int i = v.indexOf(p); i >= 0; i = v.indexOf(p, i + 1)) {
            boolean left = i == 0 || delims.indexOf(v.charAt(i - 1)) >= 0;
            int end = i + p.length();
            boolean right = end == v.length() || delims.indexOf(v.charAt(end)) >= 0;
            if (left && right) {
                return true;
            }
        }
        return false;
    }

    private boolean inRanges(long v) {
        for (long[] r : ranges) {
            if (v >= r[0] && v <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Integers: {@code N}, ranges {@code A:B}, {@code :B}, {@code A:}, and operators {@code eq ge gt le lt}
     * that apply to the next number ({@code gt 5} is the range 6..max).
     */
    private void parseIntegers(List<String> patterns) throws SampleException {
        String op = null;
        for (String p : patterns) {
            if (op == null && (p.equals("eq") || p.equals("ge") || p.equals("gt") || p.equals("le")
                    || p.equals("lt"))) {
                op = p;
                continue;
            }
            long[] r;
            int colon = p.indexOf(':');
            if (colon >= 0) {
                if (op != null) {
                    throw new SampleException("'" + p + "' is neither a number nor a supported operator");
                }
                r = parseRange(p, colon);
            } else {
                long n = parseNumber(p, "'" + p + "' is neither a number nor a supported operator");
                r = switch (op == null ? "eq" : op) {
                    case "ge" -> new long[]{n, Long.MAX_VALUE};
                    case "gt" -> new long[]{n + 1, Long.MAX_VALUE};
                    case "le" -> new long[]{Long.MIN_VALUE, n};
                    case "lt" -> new long[]{Long.MIN_VALUE, n - 1};
                    default -> new long[]{n, n};
                };
            }
            ranges.add(r);
            op = null;
        }
    }

    private static long[] parseRange(String p, int colon) throws SampleException {
        String msg = "'" + p + "' is not a valid number range";
        String lo = p.substring(0, colon);
        String hi = p.substring(colon + 1);
        long a = lo.isEmpty() ? Long.MIN_VALUE : parseNumber(lo, msg);
        long b = hi.isEmpty() ? Long.MAX_VALUE : parseNumber(hi, msg);
        if (lo.isEmpty() && hi.isEmpty()) {
            throw new SampleException(msg);
        }
        return new long[]{a, b};
    }

    private static long parseNumber(String s, String message) throws SampleException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new SampleException(message);
        }
    }

    /** {@code ADDR[/LEN|/MASK]} → {address bytes, mask bytes}. */
    static byte[][] parseNetwork(String p) throws SampleException {
        String msg = "'" + p + "' is not a valid IPv4 or IPv6 address";
        int slash = p.indexOf('/');
        InetAddress addr = Sample.parseIp(slash < 0 ? p : p.substring(0, slash));
        if (addr == null) {
            throw new SampleException(msg);
        }
        byte[] a = addr.getAddress();
        if (a.length == 4 && p.substring(0, slash < 0 ? p.length() : slash).indexOf(':') >= 0) {
            a = sameFamily(a, 16); // "::ffff:a.b.c.d" written as IPv6: its mask counts 128 bits
        }
        byte[] mask = new byte[a.length];
        int bits = a.length * 8;
        if (slash >= 0) {
            String m = p.substring(slash + 1);
            if (!m.isEmpty() && m.chars().allMatch(Character::isDigit)) {
                bits = Integer.parseInt(m);
                if (bits > a.length * 8) {
                    throw new SampleException(msg);
                }
            } else {
                InetAddress dotted = Sample.parseIp(m);
                if (a.length != 4 || !(dotted instanceof Inet4Address)) {
                    throw new SampleException(msg);
                }
                mask = dotted.getAddress();
                bits = -1;
            }
        }
        for (int k = 0; k < bits; k++) {
            mask[k / 8] |= (byte) (0x80 >>> (k % 8));
        }
        for (int i = 0; i < a.length; i++) {
            a[i] &= mask[i];
        }
        return new byte[][]{a, mask};
    }

    private boolean inNetworks(byte[] ip) {
        for (byte[][] n : networks) {
            byte[] v = sameFamily(ip, n[0].length);
            if (v == null) {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < v.length && ok; i++) {
                ok = (v[i] & n[1][i]) == n[0][i];
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** IPv4 against an IPv6 pattern is seen as {@code ::ffff:a.b.c.d}, as HAProxy maps it; IPv6 never as IPv4. */
    private static byte[] sameFamily(byte[] ip, int len) {
        if (ip.length == len) {
            return ip;
        }
        if (ip.length == 4 && len == 16) {
            byte[] v = new byte[16];
            v[10] = (byte) 0xff;
            v[11] = (byte) 0xff;
            System.arraycopy(ip, 0, v, 12, 4);
            return v;
        }
        return null;
    }
}
