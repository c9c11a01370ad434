package io.berth.persist.cookie;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The value HAProxy 2.6 gives a server without an explicit {@code cookie} when the backend has
 * {@code cookie ... dynamic} and a {@code dynamic-cookie-key} ({@code srv_set_dyncookie}): 16 lower-case hex digits
 * of {@code XXH64(key ‖ address bytes (4 or 16, network order) ‖ port as 4 bytes big endian, seed 0)}.
 * Example: key {@code MySecret}, 127.0.0.1:19101 gives {@code 57e74c357a08802c}. Stateless.
 */
public final class DynamicCookie {
    private DynamicCookie() {
    }

    /** The cookie for {@code address}, or null when the address is unresolved (HAProxy then sets none). */
    public static String of(String key, InetSocketAddress address) {
        if (key == null || address == null || address.isUnresolved()) {
            return null;
        }
        InetAddress ip = address.getAddress();
        byte[] k = key.getBytes(StandardCharsets.ISO_8859_1);
        byte[] a = ip.getAddress();
        byte[] buf = new byte[k.length + a.length + 4];
        System.arraycopy(k, 0, buf, 0, k.length);
        System.arraycopy(a, 0, buf, k.length, a.length);
        int port = address.getPort();
        int at = k.length + a.length;
        buf[at] = (byte) (port >>> 24);
        buf[at + 1] = (byte) (port >>> 16);
        buf[at + 2] = (byte) (port >>> 8);
        buf[at + 3] = (byte) port;
        return String.format("%016x", Xxh64.hash(buf, 0));
    }
}
