package io.berth.health;

/**
 * Where health-check events go: server state changes and {@code option log-health-checks} lines, each with the
 * syslog level HAProxy sends it at ({@code emerg}, {@code alert}, {@code notice}). The lead wires a proxy's
 * {@code io.berth.log.AccessLog::event} here. Called on event loops: must not block.
 */
@FunctionalInterface
public interface HealthEventSink {
    HealthEventSink NONE = (level, message) -> {
    };

    /**
     * @param level   syslog level name
     * @param message the line without trailing newline, ending with "." as HAProxy logs it
     */
    void event(String level, String message);
}
