package io.berth.log;

/**
 * The fields of one HAProxy tcplog line
 * ({@code %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq}).
 */
public record TcpLogEntry(String clientIp, int clientPort, long acceptEpochMillis, String frontendName,
                          String backendName, String serverName, long tw, long tc, long tt, long bytesRead,
                          String terminationState, int actconn, int feconn, int beconn, int srvconn, int retries,
                          boolean redispatched, int srvQueue, int backendQueue) {
}
