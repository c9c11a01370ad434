package io.berth.log;

/**
 * The fields of one HAProxy httplog line
 * ({@code %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r}).
 * Times are milliseconds, -1 when the step never happened.
 *
 * @param acceptEpochMillis when the request began (first byte of the request), wall clock
 * @param serverName server name, or {@code <NOSRV>}
 * @param bytesRead  bytes sent to the client, headers included
 * @param terminationState four characters, e.g. {@code ----}, {@code SC--}, {@code --NI}
 * @param retries    retries performed; {@code redispatched} prints it as {@code +N}
 * @param requestLine the request line, e.g. {@code GET / HTTP/1.1}
 * @param capturedHeaders {@code %hr %hs} as {@link CapturedHeaders} renders them, null without captures
 */
public record HttpLogEntry(String clientIp, int clientPort, long acceptEpochMillis, String frontendName,
                           String backendName, String serverName, long tr, long tw, long tc, long tresp, long ta,
                           int status, long bytesRead, String capturedRequestCookie, String capturedResponseCookie,
                           String terminationState, int actconn, int feconn, int beconn, int srvconn, int retries,
                           boolean redispatched, int srvQueue, int backendQueue, String requestLine,
                           String capturedHeaders) {
    /** An entry of a frontend without header captures. */
    public HttpLogEntry(String clientIp, int clientPort, long acceptEpochMillis, String frontendName,
                        String backendName, String serverName, long tr, long tw, long tc, long tresp, long ta,
                        int status, long bytesRead, String capturedRequestCookie, String capturedResponseCookie,
                        String terminationState, int actconn, int feconn, int beconn, int srvconn, int retries,
                        boolean redispatched, int srvQueue, int backendQueue, String requestLine) {
        this(clientIp, clientPort, acceptEpochMillis, frontendName, backendName, serverName, tr, tw, tc, tresp, ta,
                status, bytesRead, capturedRequestCookie, capturedResponseCookie, terminationState, actconn, feconn,
                beconn, srvconn, retries, redispatched, srvQueue, backendQueue, requestLine, null);
    }
}
