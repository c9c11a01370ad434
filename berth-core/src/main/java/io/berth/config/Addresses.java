package io.berth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * HAProxy's socket address syntax ({@code str2sa_range}) for {@code bind}, {@code server}, {@code peer} and
 * {@code log}: {@code [ipv4@|ipv6@]HOST:PORT}, {@code [IPv6]:PORT}, bare IPv6 with the port after the last colon,
 * {@code :PORT} and {@code *:PORT} for any address, {@code PORT1-PORT2} ranges on bind. Unquoted {@code $VAR}
 * / {@code ${VAR}} are expanded here, as HAProxy does for addresses only. Host names are kept as written (no
 * resolution while parsing). Errors are the text after HAProxy's {@code 'bind' : } prefix. Stateless.
 */
public final class Addresses {
    private Addresses() {
    }

    /** A parsed address: host ("" = any) and first/last port (equal without a range, 0 when omitted). */
    public record Address(String host, int port, int lastPort) {
    }

    /** Expands {@code $VAR} and {@code ${VAR}} (undefined = empty) in an address word. */
    public static String expandEnv(String text, Function<String, String> env) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$') {
                int end = ConfigLexer.expand(text, i, env, out);
                if (end > 0) {
                    i = end;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /**
     * Parses one address. {@code portRequired}: a missing port is an error ({@code bind}); {@code allowRange}:
     * {@code 8000-8009} accepted; {@code allowZero}: port 0 accepted (servers, where 0 = client's port).
     */
    public static Address parse(String text, boolean portRequired, boolean allowRange, boolean allowZero) {
        String s = text;
        if (s.startsWith("ipv4@") || s.startsWith("ipv6@") || s.startsWith("tcp@") || s.startsWith("tcp4@")
                || s.startsWith("tcp6@")) {
            s = s.substring(s.indexOf('@') + 1);
        } else if (s.startsWith("/") || s.startsWith("unix@") || s.startsWith("abns@") || s.startsWith("fd@")
                || s.startsWith("sockpair@") || s.startsWith("udp@")) {
            throw new ConfigException("'" + text + "' : address family is not yet supported by Berth.");
        }
        String host;
        String portText;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new ConfigException("invalid address: '" + text + "'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            portText = rest.startsWith(":") ? rest.substring(1) : null;
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                host = s;
                portText = null;
            } else {
                host = s.substring(0, colon);
                portText = s.substring(colon + 1);
            }
        }
        if (host.equals("*")) {
            host = "";
        }
        if (portText == null) {
            if (portRequired) {
                throw new ConfigException("missing port specification in '" + text + "'");
            }
            return new Address(host, 0, 0);
        }
        if (portText.isEmpty() && !portRequired) {
            return new Address(host, 0, 0);
        }
        String first = portText;
        String last = null;
        int dash = portText.indexOf('-');
        if (allowRange && dash > 0) {
            first = portText.substring(0, dash);
            last = portText.substring(dash + 1);
        }
        int low = port(first, portText, text, allowZero);
        int high = last == null ? low : port(last, portText, text, allowZero);
        if (high < low) {
            throw new ConfigException("invalid port range '" + portText + "'");
        }
        return new Address(host, low, high);
    }

    private static int port(String digits, String portText, String text, boolean allowZero) {
        if (digits.isEmpty()) {
            throw new ConfigException("missing port specification in '" + text + "'");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                throw new ConfigException("invalid character '" + digits.charAt(i) + "' in port number '" + portText
                        + "' in '" + text + "'");
            }
        }
        long port = digits.length() > 6 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (port > 65535 || port == 0 && !allowZero) {
            throw new ConfigException("invalid port '" + digits + "'");
        }
        return (int) port;
    }

    /** Splits a comma-separated {@code bind} address list ({@code 127.0.0.1:80,[::1]:81}). */
    public static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }
}
