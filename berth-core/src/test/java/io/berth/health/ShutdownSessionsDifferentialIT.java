package io.berth.health;

import io.berth.runtime.RuntimeBackend;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code on-marked-down shutdown-sessions} and {@code on-marked-up shutdown-backup-sessions} live against
 * /usr/sbin/haproxy: on each side a client holds a half-sent response (or an open TCP relay); a health change then
 * cuts the server connection, and the log line of that session must carry HAProxy's first termination letter
 * ({@code D} server down-kill, {@code U} backup kill) on both sides, for the same server: {@code DD}/{@code UD} in
 * HTTP mode (data phase), {@code D-} in TCP mode, where HAProxy 2.6 sets no phase letter for a cut relay.
 */
class ShutdownSessionsDifferentialIT {
    private static final String CONFIG = """
            global
              log stdout format raw local0 info
            defaults
              log global
              retries 0
              timeout connect 1s
              timeout client 10s
              timeout server 10s
            listen down
              mode http
              option httplog
              bind 127.0.0.1:${down}
              option httpchk GET /health
              server s1 127.0.0.1:${t1} check inter 100 rise 1 fall 1 on-marked-down shutdown-sessions
            listen up
              mode http
              option httplog
              bind 127.0.0.1:${up}
              option httpchk GET /health
              server a1 127.0.0.1:${t2} check inter 100 rise 1 fall 1 on-marked-up shutdown-backup-sessions
              server b1 127.0.0.1:${t3} backup
            listen tcpdown
              mode tcp
              option tcplog
              bind 127.0.0.1:${tcpdown}
              option httpchk GET /health
              server s1 127.0.0.1:${t4} check inter 100 rise 1 fall 1 on-marked-down shutdown-sessions
            """;

    /** Termination state (first two letters) and server of a log line, after the {@code listen/server} token. */
    private static final Pattern LINE = Pattern.compile(
            " (down|up|tcpdown)/(\\S+) .* ([A-Za-z-]{2})(?:[A-Za-z-]{2})? \\d+/\\d+/\\d+/\\d+/\\+?\\d+ \\d+/\\d+");

    @Test
    void killedSessionsLogDownAndBackupKillLikeHaproxy() throws Exception {
        Haproxy.assumeInstalled();
        Map<String, String> haproxy = run(true);
        Map<String, String> berth = run(false);
        assertThat(haproxy).as("haproxy").containsExactlyInAnyOrderEntriesOf(Map.of(
                "down", "s1 DD", "up", "b1 UD", "tcpdown", "s1 D-"));
        assertThat(berth).as("berth vs haproxy").isEqualTo(haproxy);
    }

    /** One side: returns listen → "server XY" for the killed session of each listen. */
    private static Map<String, String> run(boolean isHaproxy) throws Exception {
        List<Target> targets = List.of(new Target(), new Target(), new Target(), new Target());
        List<HealthChecks> checks = new ArrayList<>();
        Haproxy ha = null;
        BerthInstance berth = null;
        try {
            Map<String, String> ports = new HashMap<>();
            for (int i = 0; i < targets.size(); i++) {
                ports.put("t" + (i + 1), String.valueOf(targets.get(i).port()));
            }
            targets.get(1).checkStatus = 503; // a1 starts DOWN so b1 takes the session
            Map<String, Integer> listen = new LinkedHashMap<>();
            BooleanSupplier a1Down;
            if (isHaproxy) {
                String text = BerthInstance.substitute(CONFIG, ports);
                for (String l : List.of("down", "up", "tcpdown")) {
                    listen.put(l, Integer.parseInt(ports.get(l)));
                }
                // no ports to probe: a probe would log a session of its own; listeners are bound before checks run
                Haproxy h = Haproxy.start(text);
                ha = h;
                a1Down = () -> h.output().contains("Server up/a1 is DOWN");
            } else {
                BerthInstance b = BerthInstance.start(BerthInstance.substitute(CONFIG, ports), null);
                berth = b;
                for (RuntimeBackend be : b.runtime().backends()) {
                    checks.add(HealthChecks.start(be.spec(), be.servers(), b.proxy().eventLoopGroup(),
                            (level, message) -> { }, new HealthOptions(false, "listen")));
                }
                for (String l : List.of("down", "up", "tcpdown")) {
                    listen.put(l, b.port(l));
                }
                HealthChecks up = checks.stream().filter(c -> c.state("a1").isPresent()).findFirst().orElseThrow();
                a1Down = () -> up.state("a1").orElseThrow().down();
            }
            await().atMost(Duration.ofSeconds(10)).until(a1Down::getAsBoolean);
            String http = "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n";
            List<Socket> clients = List.of(client(listen.get("down"), http, "hello"),
                    client(listen.get("up"), http, "hello"), client(listen.get("tcpdown"), "ping\n", "pong"));
            assertThat(targets.get(2).held).hasSize(1); // b1 holds the "up" session
            targets.get(0).checkStatus = 503;
            targets.get(3).checkStatus = 503;
            targets.get(1).checkStatus = 200;
            for (Socket c : clients) {
                awaitClosed(c);
            }
            Map<String, String> out = new HashMap<>();
            BerthInstance b = berth;
            Haproxy h = ha;
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                out.clear();
                List<String> lines = new ArrayList<>();
                if (h != null) {
                    lines.addAll(h.logLines());
                } else {
                    b.httpLog().forEach(e -> lines.add(io.berth.log.HttpLogFormat.format(e)));
                    b.tcpLog().forEach(e -> lines.add(io.berth.log.TcpLogFormat.format(e)));
                }
                for (String l : lines) {
                    Matcher m = LINE.matcher(l);
                    if (m.find()) {
                        out.put(m.group(1), m.group(2) + " " + m.group(3));
                    }
                }
                return out.size() == 3;
            });
            return Map.copyOf(out);
        } finally {
            checks.forEach(HealthChecks::stop);
            if (berth != null) {
                berth.close();
            }
            if (ha != null) {
                ha.close();
            }
            for (Target t : targets) {
                t.close();
            }
        }
    }

    /** Opens a client, sends {@code request} and reads until {@code expect} arrived: the session is established. */
    private static Socket client(int port, String request, String expect) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        InputStream in = s.getInputStream();
        while (!got.toString(StandardCharsets.ISO_8859_1).contains(expect)) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no '" + expect + "' from port " + port + " within 10 s, got: " + got, e);
            }
            if (n < 0) {
                throw new IOException("closed before '" + expect + "': " + got);
            }
            got.write(buf, 0, n);
        }
        return s;
    }

    /** Waits until the proxy closes {@code c} (end of stream or reset), at most 10 s. */
    private static void awaitClosed(Socket c) throws IOException {
        c.setSoTimeout(10_000);
        byte[] buf = new byte[1024];
        try (c) {
            while (c.getInputStream().read(buf) >= 0) {
                // drain what was in flight
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("session was not cut within 10 s", e);
        } catch (IOException reset) {
            // a reset is a cut too
        }
    }

    /**
     * A server on 127.0.0.1 port 0: answers {@code GET /health} with {@link #checkStatus} and closes; to any other
     * HTTP request sends headers of a 1000-byte body plus "hello" and holds the connection; to a line "ping" answers
     * "pong" and holds it.
     */
    private static final class Target implements AutoCloseable {
        private final ServerSocket socket;
        final List<Socket> held = new CopyOnWriteArrayList<>();
        volatile int checkStatus = 200;

        Target() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "kill-target-" + socket.getLocalPort());
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket c = socket.accept();
                    Thread h = new Thread(() -> serve(c));
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket c) {
            try {
                InputStream in = c.getInputStream();
                ByteArrayOutputStream req = new ByteArrayOutputStream();
                byte[] buf = new byte[1024];
                String text = "";
                while (!text.contains("\r\n\r\n") && !text.equals("ping\n")) {
                    int n = in.read(buf);
                    if (n < 0) {
                        c.close();
                        return;
                    }
                    req.write(buf, 0, n);
                    text = req.toString(StandardCharsets.ISO_8859_1);
                }
                String answer;
                if (text.startsWith("GET /health ")) {
                    answer = "HTTP/1.0 " + checkStatus + " Status\r\nContent-Length: 0\r\n\r\n";
                } else if (text.equals("ping\n")) {
                    answer = "pong\n";
                } else {
                    answer = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhello";
                }
                c.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                c.getOutputStream().flush();
                if (text.startsWith("GET /health ")) {
                    c.close();
                } else {
                    held.add(c);
                }
            } catch (IOException e) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
