package io.berth.sample;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plain {@link SampleContext} for tests: headers as (name, value) lines, names compared case-insensitively. */
record TestContext(InetSocketAddress source, InetSocketAddress destination, String method, String uri,
                   String version, List<Map.Entry<String, String>> request, List<Map.Entry<String, String>> response,
                   int status, String serverName, int serverId, String backendName, String frontendName,
                   InetSocketAddress serverAddress) implements SampleContext {

    static TestContext get(String uri, String... headerPairs) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(Map.entry(headerPairs[i], headerPairs[i + 1]));
        }
        return new TestContext(new InetSocketAddress("192.168.1.10", 40000), new InetSocketAddress("10.0.0.1", 80),
                "GET", uri, "HTTP/1.1", h, List.of(), 0, null, 0, null, "fe", null);
    }

    TestContext withSource(String ip, int port) {
        return new TestContext(new InetSocketAddress(ip, port), destination, method, uri, version, request, response,
                status, serverName, serverId, backendName, frontendName, serverAddress);
    }

    TestContext withMethod(String m, String v) {
        return new TestContext(source, destination, m, uri, v, request, response, status, serverName, serverId,
                backendName, frontendName, serverAddress);
    }

    TestContext withResponse(int st, String... headerPairs) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(Map.entry(headerPairs[i], headerPairs[i + 1]));
        }
        return new TestContext(source, destination, method, uri, version, request, h, st, serverName, serverId,
                backendName, frontendName, serverAddress);
    }

    TestContext withServer(String backend, String server, int id, InetSocketAddress addr) {
        return new TestContext(source, destination, method, uri, version, request, response, status, server, id,
                backend, frontendName, addr);
    }

    @Override
    public List<String> requestHeaders(String name) {
        return values(request, name);
    }

    @Override
    public List<String> responseHeaders(String name) {
        return values(response, name);
    }

    private static List<String> values(List<Map.Entry<String, String>> h, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return h.stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(n)).map(Map.Entry::getValue).toList();
    }
}
