package io.berth.runtime;

import java.net.InetSocketAddress;

/**
 * A client connection being served, as the runtime API's {@code show sess} lists it. Implemented by the data
 * plane's session; read from the CLI thread, so implementations publish what changes through volatile fields.
 */
public interface LiveSession {
    /** A stable identifier printed as HAProxy prints a stream's address ({@code 0x...}). */
    long id();

    InetSocketAddress client();

    String frontendName();

    /** The backend of the current or last request, or null before any. */
    String backend();

    /** The server of the current or last request, or null before any. */
    String server();

    /** Milliseconds since the connection was accepted. */
    long ageMillis();
}
