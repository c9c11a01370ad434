package io.berth.proxy;

import io.berth.health.HealthChecks;
import io.berth.runtime.RuntimeBackend;
import io.berth.testkit.BerthInstance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover under bounded load, in process: four client threads on keep-alive connections, each pinned by the
 * persistence cookie it got first, send GETs for about 10 s; at 3 s backend app1 is killed abruptly (listener and
 * every connection reset), at 6 s restarted on the same port. With {@code option redispatch} and {@code retries 3}
 * the clients must see no error at all; the test prints requests served (per server), errors and the time from the
 * kill to app1 being marked DOWN by the checks. Only generous bounds on timing. The same scenario against HAProxy
 * and Berth side by side, over 20 s, is bench/failover.sh.
 */
class FailoverIT {
    private static final String CONFIG = """
            defaults
              mode http
              option httplog
              timeout connect 1s
              timeout client 10s
              timeout server 10s
            frontend fe
              bind 127.0.0.1:${fe}
              default_backend be_app
            backend be_app
              balance roundrobin
              retries 3
              option redispatch
              cookie SRVID insert indirect nocache
              option httpchk GET /healthz
              default-server inter 500 fastinter 250 downinter 1000 rise 2 fall 2
              server app1 127.0.0.1:${app1} check cookie app1
              server app2 127.0.0.1:${app2} check cookie app2
            """;

    @Test
    void pinnedClientsSeeNoErrorWhenTheirServerIsKilledAndRestarted() throws Exception {
        try (KillableBackend app1 = new KillableBackend("app1"); KillableBackend app2 = new KillableBackend("app2");
             BerthInstance berth = BerthInstance.start(CONFIG.replace("${app1}", String.valueOf(app1.port()))
                     .replace("${app2}", String.valueOf(app2.port())), null)) {
            AtomicLong downAt = new AtomicLong();
            List<HealthChecks> checks = new ArrayList<>();
            for (RuntimeBackend b : berth.runtime().backends()) {
                checks.add(HealthChecks.start(b.spec(), b.servers(), berth.proxy().eventLoopGroup(), (level, msg) -> {
                    if (msg.startsWith("Server be_app/app1 is DOWN")) {
                        downAt.compareAndSet(0, System.nanoTime());
                    }
                }));
            }
            try {
                Load load = new Load(berth.port("fe"), 4);
                load.start();
                Thread.sleep(3000); // the load runs for a fixed time: this is the schedule, not a wait for a state
                long killedAt = System.nanoTime();
                app1.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> downAt.get() != 0);
                Thread.sleep(Math.max(0, 3000 - (System.nanoTime() - killedAt) / 1_000_000));
                app1.restart();
                long servedBeforeUp = load.byServer().getOrDefault("app1", 0L);
                await().atMost(Duration.ofSeconds(10)).until(() -> berth.runtime().backend("be_app").servers()
                        .byName("app1").isUsable());
                Thread.sleep(3000);
                load.stop();
                long killToDown = (downAt.get() - killedAt) / 1_000_000;
                System.out.printf("FailoverIT: served %d, errors %d %s, by server %s, kill->DOWN %d ms%n",
                        load.served(), load.errors(), load.errorKinds(), load.byServer(), killToDown);
                berth.httpLog().stream().filter(e -> !e.terminationState().startsWith("--") || e.status() != 200)
                        .forEach(e -> System.out.println("FailoverIT log: " + io.berth.log.HttpLogFormat.format(e)));
                assertThat(load.errorKinds()).isEmpty();
                assertThat(load.errors()).isZero();
                assertThat(load.served()).isGreaterThan(200);
                assertThat(servedBeforeUp).isPositive(); // app1 served its pinned clients before the kill
                assertThat(load.byServer().get("app2")).isPositive();
                assertThat(killToDown).isBetween(0L, 5000L);
            } finally {
                checks.forEach(HealthChecks::stop);
            }
        }
    }

    /** Client threads, each with one keep-alive connection and the cookie of its first answer, paced every 10 ms. */
    static final class Load {
        private final int port;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong served = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final Map<String, AtomicLong> byServer = new ConcurrentHashMap<>();
        private final Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        Load(int port, int n) {
            this.port = port;
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(this::run, "failover-client-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(15_000);
            }
        }

        private void run() {
            String cookie = null;
            Socket s = null;
            while (running) {
                try {
                    if (s == null) {
                        s = new Socket();
                        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                        s.setSoTimeout(10_000);
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(("GET / HTTP/1.1\r\nHost: t\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                            + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    String[] answer = readResponse(s.getInputStream());
                    if (answer[1] != null) {
                        cookie = answer[1];
                    }
                    if (answer[0].startsWith("HTTP/1.1 200")) {
                        served.incrementAndGet();
                        byServer.computeIfAbsent(answer[2], k -> new AtomicLong()).incrementAndGet();
                    } else {
                        error(answer[0]);
                    }
                } catch (IOException e) {
                    error(e.getClass().getSimpleName() + ": " + e.getMessage());
                    close(s);
                    s = null;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
            close(s);
        }

        private void error(String kind) {
            errors.incrementAndGet();
            kinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        /** {status line, cookie pair from Set-Cookie or null, body}; Content-Length bodies only. */
        private static String[] readResponse(InputStream in) throws IOException {
            String status = line(in);
            String cookie = null;
            int length = 0;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase();
                String value = h.substring(colon + 1).trim();
                if (name.equals("set-cookie")) {
                    cookie = value.split(";")[0];
                } else if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                }
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("truncated body");
            }
            return new String[]{status, cookie, new String(body, StandardCharsets.ISO_8859_1).trim()};
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        long served() {
            return served.get();
        }

        long errors() {
            return errors.get();
        }

        Map<String, Long> byServer() {
            Map<String, Long> m = new TreeMap<>();
            byServer.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }

        Map<String, Long> errorKinds() {
            Map<String, Long> m = new TreeMap<>();
            kinds.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /**
     * An HTTP/1.1 keep-alive server answering every request with 200 and its name, one thread per connection, that
     * can be killed abruptly (listener closed, every connection reset) and restarted on the same port.
     */
    static final class KillableBackend implements AutoCloseable {
        private final String name;
        private final int port;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private volatile ServerSocket listener;

        KillableBackend(String name) throws IOException {
            this.name = name;
            ServerSocket first = bind(0);
            this.port = first.getLocalPort();
            serve(first);
        }

        int port() {
            return port;
        }

        private static ServerSocket bind(int port) throws IOException {
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            return ss;
        }

        private void serve(ServerSocket ss) {
            listener = ss;
            Thread acceptor = new Thread(() -> {
                while (!ss.isClosed()) {
                    try {
                        Socket c = ss.accept();
                        open.add(c);
                        Thread t = new Thread(() -> handle(c), name + "-conn");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, name + "-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void handle(Socket c) {
            try (c) {
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                int length = name.length() + 1;
                while (true) {
                    String requestLine = Load.line(in);
                    for (String h = Load.line(in); !h.isEmpty(); h = Load.line(in)) {
                        // headers are not needed: GET only, no body
                    }
                    boolean close = requestLine.endsWith("HTTP/1.0");
                    // head and body in one write: a kill then cuts between answers, never inside one (an answer
                    // cut after its head is a server abort, SD, which no retry can hide, in HAProxy either)
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + length + "\r\n"
                            + (close ? "Connection: close\r\n" : "") + "\r\n" + name + "\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (close) {
                        return;
                    }
                }
            } catch (IOException e) {
                // client went away or the backend was killed
            } finally {
                open.remove(c);
            }
        }

        /** Closes the listener and resets every open connection (SO_LINGER 0), as a SIGKILL would. */
        void kill() throws IOException {
            listener.close();
            for (Socket c : open) {
                try {
                    c.setSoLinger(true, 0);
                    c.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
            open.clear();
        }

        void restart() throws IOException {
            serve(bind(port));
        }

        @Override
        public void close() throws IOException {
            kill();
        }
    }
}
