package io.berth.health;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A health-check response as far as it was read: status line, headers, body. Built by {@link #parse} from the
 * bytes a probe accumulated; immutable. Only what {@code http-check expect} looks at is kept.
 *
 * @param code    the status code, e.g. 503
 * @param reason  the reason phrase, e.g. {@code Service Unavailable} (HAProxy's {@code info} on a wrong status)
 * @param headers header lines in order, names lower-cased
 * @param body    the body bytes read (de-chunked), possibly partial while {@code complete} is false
 * @param complete true when the whole message was read (length reached, last chunk, or end of stream)
 */
public record HttpCheckResponse(int code, String reason, List<Header> headers, byte[] body, boolean complete) {

    /** One header line; {@code name} lower-cased, {@code value} trimmed. */
    public record Header(String name, String value) {
    }

    /** Parse outcome: {@link #NEED_MORE}, {@link #INVALID}, or a response (headers complete). */
    public sealed interface Parse permits NeedMore, Invalid, Parsed {
    }

    /** The status line and headers are not all there yet. */
    public record NeedMore() implements Parse {
    }

    /** Not an HTTP response (HAProxy's L7RSP "Layer7 invalid response"). */
    public record Invalid() implements Parse {
    }

    public record Parsed(HttpCheckResponse response) implements Parse {
    }

    public static final Parse NEED_MORE = new NeedMore();
    public static final Parse INVALID = new Invalid();

    /**
     * Parses the bytes read so far.
     *
     * @param data      everything received
     * @param eof       the server closed its side: no more bytes will come
     * @param headOnly  the request was HEAD: no body whatever the headers say
     * @return NEED_MORE until the header block ends (INVALID at eof), INVALID for a malformed status line or
     * header, else the response with {@code complete} telling whether the body is whole
     */
    public static Parse parse(byte[] data, boolean eof, boolean headOnly) {
        int end = headerEnd(data);
        if (end < 0) {
            if (data.length > 0 && !startsLikeHttp(data)) {
                return INVALID;
            }
            return eof ? INVALID : NEED_MORE;
        }
        String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        String status = lines[0];
        if (!status.startsWith("HTTP/") || status.length() < 12 || status.charAt(8) != ' ') {
            return INVALID;
        }
        String digits = status.substring(9, 12);
        if (!digits.chars().allMatch(Character::isDigit) || (status.length() > 12 && status.charAt(12) != ' ')) {
            return INVALID;
        }
        int code = Integer.parseInt(digits);
        String reason = status.length() > 13 ? status.substring(13) : "";
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return INVALID;
            }
            headers.add(new Header(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim()));
        }
        int bodyStart = end + (data[end] == '\r' ? 4 : 2);
        byte[] rest = java.util.Arrays.copyOfRange(data, bodyStart, data.length);
        boolean noBody = headOnly || code == 204 || code == 304 || (code >= 100 && code < 200);
        if (noBody) {
            return new Parsed(new HttpCheckResponse(code, reason, headers, new byte[0], true));
        }
        String te = value(headers, "transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return dechunk(code, reason, headers, rest, eof);
        }
        String cl = value(headers, "content-length");
        if (cl != null) {
            long len;
            try {
                len = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                return INVALID;
            }
            if (rest.length >= len) {
                return new Parsed(new HttpCheckResponse(code, reason, headers,
                        java.util.Arrays.copyOf(rest, (int) len), true));
            }
            return new Parsed(new HttpCheckResponse(code, reason, headers, rest, eof));
        }
        return new Parsed(new HttpCheckResponse(code, reason, headers, rest, eof));
    }

    private static Parse dechunk(int code, String reason, List<Header> headers, byte[] rest, boolean eof) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOf(rest, pos, (byte) '\n');
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(rest, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).trim();
            int semi = sizeLine.indexOf(';');
            if (semi >= 0) {
                sizeLine = sizeLine.substring(0, semi);
            }
            int size;
            try {
                size = Integer.parseInt(sizeLine.trim(), 16);
            } catch (NumberFormatException e) {
                return INVALID;
            }
            if (size == 0) {
                return new Parsed(new HttpCheckResponse(code, reason, headers, out.toByteArray(), true));
            }
            int dataStart = lineEnd + 1;
            if (dataStart + size > rest.length) {
                out.write(rest, dataStart, rest.length - dataStart);
                break;
            }
            out.write(rest, dataStart, size);
            pos = dataStart + size;
            // skip the CRLF after the chunk data
            while (pos < rest.length && (rest[pos] == '\r' || rest[pos] == '\n')) {
                pos++;
            }
        }
        return new Parsed(new HttpCheckResponse(code, reason, headers, out.toByteArray(), eof));
    }

    private static boolean startsLikeHttp(byte[] data) {
        byte[] prefix = "HTTP/".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < Math.min(prefix.length, data.length); i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first byte of the blank line ending the header block ("\r\n\r\n" or "\n\n"), or -1. */
    private static int headerEnd(byte[] d) {
        for (int i = 0; i + 1 < d.length; i++) {
            if (d[i] == '\r' && i + 3 < d.length && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
                return i;
            }
            if (d[i] == '\n' && d[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] d, int from, byte b) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String value(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.name().equals(name)) {
                return h.value();
            }
        }
        return null;
    }
}
