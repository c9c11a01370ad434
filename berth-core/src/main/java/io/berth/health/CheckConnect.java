package io.berth.health;

import io.berth.config.ConfigException;
import io.berth.model.CheckSpec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code http-check connect [default] [port N] [addr A] [ssl] [linger] [comment C]} rule: where and how a
 * backend's HTTP checks connect instead of the implicit connect. Immutable; built on the parser thread (to validate)
 * and again when the checks start, then read by every check of the backend on its event loop.
 *
 * <p>HAProxy 2.6 behaviour matched (src/tcpcheck.c tcpcheck_eval_connect): the rule's {@code addr} wins over the
 * server's check {@code addr}, which wins over the server address; the port is the rule's {@code port}, else the
 * port written in the rule's {@code addr}, else the server's check {@code port}, else the server's port. A rule
 * without {@code default} uses TLS only with {@code ssl}, whatever {@code check-ssl}/{@code ssl} the server has;
 * {@code default} keeps the server's own check settings (as the implicit connect). {@code linger} asks for a clean
 * close, which Berth's checks always do; {@code comment} only names the rule (HAProxy prints it for pure tcp-check
 * rulesets only). {@code sni}, {@code alpn}, {@code proto}, {@code send-proxy}, {@code via-socks4} and port sample
 * expressions are refused as not yet supported.
 *
 * @param isDefault {@code default}: the server's own check address, port and transport
 * @param port      the rule's port, 0 when none
 * @param addr      the rule's address (an IP literal), or null
 * @param ssl       {@code ssl}: TLS on the check connection
 */
public record CheckConnect(boolean isDefault, int port, String addr, boolean ssl) {
    /** The first word of a connect rule in the backend's raw http-check rule list. */
    public static final String RULE = "connect";

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String WHERE = "'http-check connect' : ";

    /**
     * Parses the words after {@code http-check connect}.
     *
     * @throws ConfigException with HAProxy's wording for an unknown option or a bad port/address, or "not yet
     *                         supported by Berth" for options Berth does not implement
     */
    public static CheckConnect parse(List<String> words) {
        boolean isDefault = false;
        boolean ssl = false;
        int port = 0;
        String addr = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "default" -> isDefault = true;
                case "ssl" -> ssl = true;
                case "linger" -> {
                    // Berth's checks always close with a FIN: nothing more to do
                }
                case "comment" -> {
                    if (i + 1 >= words.size() || words.get(i + 1).isEmpty()) {
                        throw new ConfigException(WHERE + "'comment' expects a string as argument..");
                    }
                    i++;
                }
                case "port" -> {
                    String v = i + 1 < words.size() ? words.get(++i) : "";
                    if (v.isEmpty()) {
                        throw new ConfigException(WHERE + "'port' expects a port number or a sample expression as"
                                + " argument..");
                    }
                    if (!DIGITS.matcher(v).matches()) {
                        throw new ConfigException("'http-check connect port' with a sample expression is not yet"
                                + " supported by Berth.");
                    }
                    long p = v.length() > 6 ? Long.MAX_VALUE : Long.parseLong(v);
                    if (p < 1 || p > 65535) {
                        throw new ConfigException(WHERE + "expects a valid TCP port (from range 1 to 65535) or a"
                                + " sample expression, got " + v + "..");
                    }
                    port = (int) p;
                }
                case "addr" -> {
                    String v = i + 1 < words.size() ? words.get(++i) : "";
                    if (v.isEmpty()) {
                        throw new ConfigException(WHERE + "'addr' expects <ipv4|ipv6> as argument..");
                    }
                    addr = v;
                    literal(v);
                    if (addrPort(v) > 65535) {
                        throw new ConfigException(WHERE + "'addr' : invalid port '" + v.substring(v.lastIndexOf(':')
                                + 1) + "'..");
                    }
                }
                case "sni", "alpn", "proto", "send-proxy", "via-socks4" -> throw new ConfigException(
                        "'http-check connect " + w + "' is not yet supported by Berth.");
                default -> throw new ConfigException(WHERE + "expects 'comment', 'port', 'addr', 'send-proxy',"
                        + " 'ssl', 'sni', 'alpn' or 'via-socks4', 'linger', 'default' but got '" + w
                        + "' as argument..");
            }
        }
        return new CheckConnect(isDefault, port, addr, ssl);
    }

    /** The rule as raw words, first {@link #RULE}, for the backend's http-check rule list. */
    public static List<String> row(List<String> words) {
        List<String> out = new ArrayList<>();
        out.add(RULE);
        out.addAll(words);
        return List.copyOf(out);
    }

    /** True for a raw http-check rule written by {@link #row}. */
    public static boolean isRow(List<String> words) {
        return !words.isEmpty() && words.get(0).equals(RULE);
    }

    /**
     * Where a check of a server connects: see the class comment for the order.
     *
     * @param server the server's current address
     * @param check  the server's check settings ({@code addr}, {@code port})
     */
    public InetSocketAddress target(InetSocketAddress server, CheckSpec check) {
        InetAddress host = server.getAddress();
        int p = 0;
        if (addr != null) {
            host = literal(addr);
            p = addrPort(addr);
        } else if (check.addr() != null) {
            host = literal(check.addr());
        }
        if (port != 0) {
            p = port;
        }
        if (p == 0) {
            p = check.port() != 0 ? check.port() : server.getPort();
        }
        return host == null ? new InetSocketAddress(server.getHostString(), p) : new InetSocketAddress(host, p);
    }

    /** The IP of {@code a} ({@code ip}, {@code ip:port}, {@code [ipv6]:port}, {@code ipv6}); never a DNS lookup. */
    private static InetAddress literal(String a) {
        String host = a;
        if (a.startsWith("[") && a.contains("]")) {
            host = a.substring(1, a.indexOf(']'));
        } else if (a.indexOf(':') == a.lastIndexOf(':') && a.indexOf(':') > 0) {
            host = a.substring(0, a.indexOf(':'));
        }
        boolean ip = IPV4.matcher(host).matches() || host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
        try {
            if (ip) {
                return InetAddress.getByName(host); // a literal: parsed, not resolved
            }
        } catch (UnknownHostException e) {
            // falls through to HAProxy's refusal
        }
        throw new ConfigException(WHERE + "'addr' : invalid address: '" + a + "' in '" + a + "'\n.");
    }

    /** The port written in an {@code addr} value, 0 when none. */
    private static int addrPort(String a) {
        int colon = a.startsWith("[") ? a.indexOf("]:") + 1 : a.indexOf(':') == a.lastIndexOf(':') ? a.indexOf(':')
                : -1;
        if (colon <= 0 || colon + 1 >= a.length()) {
            return 0;
        }
        String p = a.substring(colon + 1);
        if (!DIGITS.matcher(p).matches()) {
            return 0;
        }
        return p.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(p); // past 65535: refused by parse()
    }
}
