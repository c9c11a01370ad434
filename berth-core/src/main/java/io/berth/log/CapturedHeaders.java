package io.berth.log;

/**
 * The {@code %hr} and {@code %hs} fields of an httplog line: each direction's captured header values between
 * braces, separated by {@code |}, in declaration order, an absent header as an empty string; characters below 32,
 * from 127 on, and {@code " # { | }} written as {@code #XX} (HAProxy's {@code hdr_encode_map}). A direction without
 * captures prints nothing. Stateless.
 */
public final class CapturedHeaders {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CapturedHeaders() {
    }

    /**
     * Both fields as they follow {@code %sq/%bq}: {@code "{a|b} {c}"}, one of them, or null when the frontend
     * captures nothing. {@code request}/{@code response} are null when not declared, their entries null when the
     * header was absent (or the message never came).
     */
    public static String render(String[] request, String[] response) {
        if (request == null && response == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(32);
        if (request != null) {
            braces(sb, request);
        }
        if (response != null) {
            if (request != null) {
                sb.append(' ');
            }
            braces(sb, response);
        }
        return sb.toString();
    }

    private static void braces(StringBuilder sb, String[] values) {
        sb.append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append('|');
            }
            if (values[i] != null) {
                encode(sb, values[i]);
            }
        }
        sb.append('}');
    }

    private static void encode(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 32 || c >= 127 || c == '"' || c == '#' || c == '{' || c == '|' || c == '}') {
                sb.append('#').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            } else {
                sb.append(c);
            }
        }
    }
}
