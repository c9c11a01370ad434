package io.berth.model;

/**
 * One {@code server NAME ADDR[:PORT] [args]} line, after {@code default-server} was applied.
 *
 * @param id       the server's numeric id: {@code id N} when given, else its 1-based position in the backend
 *                 (HAProxy's {@code puid}, used by consistent hashing and stick tables)
 * @param host     address or host name as written
 * @param port     port; 0 when omitted (in TCP mode HAProxy then uses the client's destination port)
 * @param weight   0..256, default 1
 * @param maxconn  0 = unlimited
 * @param disabled {@code disabled}: starts in maintenance
 * @param cookie   the server's {@code cookie VALUE}, or null (used by the Cookie issue)
 * @param check    the health-check arguments
 * @param maxqueue {@code maxqueue}: most requests waiting in this server's queue, 0 = unlimited
 * @param nonStick {@code non-stick}: stick rules never store this server (persist/stick)
 * @param tls      the server's TLS arguments ({@link ServerTlsSpec#NONE} for plain TCP)
 */
public record ServerSpec(String name, Location location, int id, boolean idForced, String host, int port, int weight,
                         boolean backup, int maxconn, boolean disabled, String cookie, CheckSpec check,
                         int maxqueue, boolean nonStick, ServerTlsSpec tls) {
    public ServerSpec {
        tls = tls == null ? ServerTlsSpec.NONE : tls;
    }

    /** A server without TLS arguments (kept for code written before TLS to servers). */
    public ServerSpec(String name, Location location, int id, boolean idForced, String host, int port, int weight,
                      boolean backup, int maxconn, boolean disabled, String cookie, CheckSpec check, int maxqueue,
                      boolean nonStick) {
        this(name, location, id, idForced, host, port, weight, backup, maxconn, disabled, cookie, check, maxqueue,
                nonStick, ServerTlsSpec.NONE);
    }

    /** A server without {@code non-stick} (kept for code written before the Stick issue). */
    public ServerSpec(String name, Location location, int id, boolean idForced, String host, int port, int weight,
                      boolean backup, int maxconn, boolean disabled, String cookie, CheckSpec check, int maxqueue) {
        this(name, location, id, idForced, host, port, weight, backup, maxconn, disabled, cookie, check, maxqueue,
                false);
    }

    /** A server without {@code maxqueue} (kept for code written before queues). */
    public ServerSpec(String name, Location location, int id, boolean idForced, String host, int port, int weight,
                      boolean backup, int maxconn, boolean disabled, String cookie, CheckSpec check) {
        this(name, location, id, idForced, host, port, weight, backup, maxconn, disabled, cookie, check, 0);
    }
}
