package io.berth.model;

import java.util.List;

/**
 * The backend's {@code cookie NAME [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve] [httponly]
 * [secure] [domain D]* [maxidle T] [maxlife T] [dynamic] [attr V]*} line, as HAProxy 2.6 keeps it.
 *
 * @param name        the cookie name, compared exactly (case-sensitive)
 * @param mode        passive (no mode word), insert, rewrite or prefix
 * @param domains     each {@code domain}, in order; emitted as {@code ; domain=D} on inserted cookies
 * @param maxIdle     {@code maxidle} in seconds, 0 = unset
 * @param maxLife     {@code maxlife} in seconds, 0 = unset
 * @param attributes  each {@code attr}, in order; emitted as {@code ; V}. HAProxy keeps these across a second
 *                    {@code cookie} line of the same proxy (only the domains are reset), and so does Berth.
 */
public record CookieSpec(Location location, String name, Mode mode, boolean indirect, boolean nocache,
                         boolean postOnly, boolean preserve, boolean httpOnly, boolean secure, List<String> domains,
                         long maxIdle, long maxLife, boolean dynamic, List<String> attributes) {

    /** The cookie mode; {@code PASSIVE} when the line names none (the cookie is only read). */
    public enum Mode { PASSIVE, INSERT, REWRITE, PREFIX }

    public CookieSpec {
        domains = List.copyOf(domains);
        attributes = List.copyOf(attributes);
    }
}
