package io.berth.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The two demo application servers of {@code berth demo}: {@code app1} and {@code app2} on loopback. Each
 * answers every request with {@code X-Served-By: appN} and a short body naming itself and the cookies it
 * received (so the demo shows that {@code indirect} strips the persistence cookie), and 200 on
 * {@code /healthz}. Runs on the JDK's HTTP server with one small thread pool: it is a demo, not a benchmark
 * target.
 */
final class DemoBackends implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();

    /** Starts {@code app1} on {@code port1} and {@code app2} on {@code port2} (127.0.0.1). */
    static DemoBackends start(int port1, int port2) throws IOException {
        DemoBackends demo = new DemoBackends();
        try {
            demo.servers.add(serve("app1", port1));
            demo.servers.add(serve("app2", port2));
        } catch (IOException e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    private static HttpServer serve(String name, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", exchange -> answer(name, exchange));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-" + name);
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    private static void answer(String name, HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String path = exchange.getRequestURI().getPath();
            String body;
            if (path.equals("/healthz")) {
                body = "ok\n";
            } else {
                String cookies = exchange.getRequestHeaders().getFirst("Cookie");
                body = "Hello from " + name + " (" + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                        + "), cookies seen by the server: " + (cookies == null ? "none" : cookies) + "\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Served-By", name);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
            if (!head) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        for (HttpServer s : servers) {
            s.stop(0);
        }
        servers.clear();
    }
}
