package io.berth.health;

/**
 * Per-backend switches of the health checks that the model does not carry yet.
 *
 * @param logHealthChecks {@code option log-health-checks}: log every check whose status changed or that moved
 *                        the health counter, and leave the reason out of "is UP/DOWN" lines (HAProxy does so)
 * @param proxyType       word HAProxy uses in "... has no server available!": {@code backend} or {@code listen}
 */
public record HealthOptions(boolean logHealthChecks, String proxyType) {
    public static final HealthOptions DEFAULTS = new HealthOptions(false, "backend");
}
