package io.berth.sample;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The converters Berth knows ({@code ,lower}, {@code ,ipmask(24)}, ...), as HAProxy 2.6 names and behaves
 * (doc/configuration.txt §7.3.1). Each binds its arguments at configuration time into a pure function
 * {@code Sample → Sample} (null = the sample no longer exists). Immutable table.
 */
final class Converters {
    /** A bound converter. */
    @FunctionalInterface
    interface Converter extends UnaryOperator<Sample> {
    }

    @FunctionalInterface
    private interface Factory {
        Converter create(FetchArgs args, String rest) throws SampleException;
    }

    private static final Map<String, Factory> DEFS = new HashMap<>();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        noArg("lower", s -> Sample.ofString(s.asString().toLowerCase(Locale.ROOT)));
        noArg("upper", s -> Sample.ofString(s.asString().toUpperCase(Locale.ROOT)));
        noArg("length", s -> Sample.ofInt(s.asString().length()));
        noArg("hex", Converters::hex);
        noArg("bool", s -> {
            Long v = s.asLong();
            return v == null ? null : Sample.ofBool(v != 0);
        });
        noArg("not", s -> {
            Long v = s.asLong();
            return v == null ? null : Sample.ofBool(v == 0);
        });
        DEFS.put("ipmask", Converters::ipmask);
        DEFS.put("word", (a, rest) -> split(a, rest, true));
        DEFS.put("field", (a, rest) -> split(a, rest, false));
    }

    private Converters() {
    }

    /** The type converter {@code name} produces (its default ACL match); STR for unknown names. */
    static Sample.Type outputType(String name) {
        return switch (name) {
            case "length" -> Sample.Type.INT;
            case "ipmask" -> Sample.Type.IP;
            case "bool", "not" -> Sample.Type.BOOL;
            default -> Sample.Type.STR;
        };
    }

    /** The converter {@code name} bound to its arguments; null when the name is unknown. */
    static Converter create(String name, FetchArgs args, String rest) throws SampleException {
        Factory f = DEFS.get(name);
        return f == null ? null : f.create(args, rest);
    }

    private static void noArg(String name, Converter c) {
        DEFS.put(name, (a, rest) -> {
            a.atMost(0, rest);
            return c;
        });
    }

    /**
     * {@code hex}: upper-case hex of the bytes; an integer is first cast to its 8-byte big-endian binary form
     * (so {@code src_port,hex} of 52138 is {@code 000000000000CBAA}), an address to its 4 or 16 bytes.
     */
    private static Sample hex(Sample s) {
        byte[] bytes = switch (s.type()) {
            case INT, BOOL -> ByteBuffer.allocate(8).putLong(s.asLong()).array();
            case IP -> s.asIp().getAddress();
            case STR -> s.asString().getBytes(StandardCharsets.ISO_8859_1);
        };
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        return Sample.ofString(sb.toString());
    }

    /** {@code ipmask(MASK4[,MASK6])}: masks as CIDR length or dotted/colon form; IPv6 fails without MASK6. */
    private static Converter ipmask(FetchArgs a, String rest) throws SampleException {
        a.atMost(2, rest);
        byte[] m4 = mask(a, 0, 4, true);
        byte[] m6 = a.size() > 1 ? mask(a, 1, 16, false) : null;
        return s -> {
            InetAddress ip = s.asIp();
            byte[] mask = ip instanceof Inet4Address ? m4 : ip instanceof Inet6Address ? m6 : null;
            if (mask == null) {
                return null;
            }
            byte[] b = ip.getAddress();
            for (int i = 0; i < b.length; i++) {
                b[i] &= mask[i];
            }
            try {
                return Sample.ofIp(InetAddress.getByAddress(b));
            } catch (UnknownHostException e) {
                return null;
            }
        };
    }

    private static byte[] mask(FetchArgs a, int i, int len, boolean v4) throws SampleException {
        String text = a.string(i, true);
        String type = v4 ? "IPv4 mask" : "IPv6 mask";
        byte[] mask = new byte[len];
        if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
            int bits = Integer.parseInt(text);
            if (bits > len * 8) {
                throw a.typeError(i, type);
            }
            for (int k = 0; k < bits; k++) {
                mask[k / 8] |= (byte) (0x80 >>> (k % 8));
            }
            return mask;
        }
        InetAddress m = Sample.parseIp(text);
        if (m == null || m.getAddress().length != len) {
            throw a.typeError(i, type);
        }
        return m.getAddress();
    }

    /**
     * {@code word(N,DELIMS)} counts only non-empty words; {@code field(N,DELIMS)} counts every field, empty
     * ones too. N is 1-based, negative from the end. For {@code /Foo/bar.html}: word(2,/) is {@code bar.html},
     * field(2,/) is {@code Foo}.
     */
    private static Converter split(FetchArgs a, String rest, boolean words) throws SampleException {
        a.atMost(2, rest);
        long index = a.integer(0, true, 0);
        String delims = a.string(1, true);
        if (index == 0) {
            throw a.typeError(0, "integer");
        }
        return s -> {
            String text = s.asString();
            java.util.List<String> parts = new java.util.ArrayList<>();
            int start = 0;
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || delims.indexOf(text.charAt(i)) >= 0) {
                    String part = text.substring(start, i);
                    if (!words || !part.isEmpty()) {
                        parts.add(part);
                    }
                    start = i + 1;
                }
            }
            String v = HttpText.occurrence(parts, (int) index);
            return v == null ? null : Sample.ofString(v);
        };
    }
}
