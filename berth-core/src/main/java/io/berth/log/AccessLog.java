package io.berth.log;

/**
 * Where a proxy's traffic log lines go: the proxy's {@code log} targets. Called on event loops; sinks must
 * not block (UDP send, or a bounded queue to a writer thread for stdout/stderr).
 */
public interface AccessLog {
    AccessLog NONE = new AccessLog() {
        @Override
        public void http(HttpLogEntry entry) {
        }

        @Override
        public void tcp(TcpLogEntry entry) {
        }

        @Override
        public void event(String level, String message) {
        }
    };

    void http(HttpLogEntry entry);

    void tcp(TcpLogEntry entry);

    /** An event line (server state change, alert), e.g. {@code Server be/s1 is DOWN...}, at a syslog level. */
    void event(String level, String message);
}
