package io.berth.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server on 127.0.0.1 port 0 for check tests: answers every request with {@link #respond} (raw
 * bytes, then closes), or closes at once when the answer is null, or holds the connection open when it is
 * {@link #SILENT}. Records when each connection arrived and what each request was.
 */
final class CheckTarget implements AutoCloseable {
    static final String SILENT = "<silent>";
    static final String OK = "HTTP/1.0 200 OK\r\nX-Health: good, fine\r\nContent-Length: 7\r\n\r\nhealthy";
    static final String UNAVAILABLE = "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";

    private final ServerSocket socket;
    final List<Long> arrivalsNanos = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    volatile String respond = OK;

    CheckTarget() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "check-target-" + socket.getLocalPort());
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
                arrivalsNanos.add(System.nanoTime());
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
            c.setSoTimeout(5000);
            InputStream in = c.getInputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (!req.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                req.write(buf, 0, n);
            }
            requests.add(req.toString(StandardCharsets.ISO_8859_1));
            String answer = respond;
            if (SILENT.equals(answer)) {
                held.add(c);
                return;
            }
            if (answer != null) {
                c.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                c.getOutputStream().flush();
            }
            c.close();
        } catch (IOException e) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Milliseconds between consecutive connection arrivals, from index {@code from} on. */
    List<Long> gapsMs(int from) {
        List<Long> a = List.copyOf(arrivalsNanos);
        List<Long> out = new java.util.ArrayList<>();
        for (int i = Math.max(from, 1); i < a.size(); i++) {
            out.add((a.get(i) - a.get(i - 1)) / 1_000_000);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        for (Socket s : held) {
            s.close();
        }
        socket.close();
    }

    /** A port nothing listens on (bound then closed). */
    static int closedPort() throws IOException {
        return io.berth.testkit.BerthInstance.freePort();
    }
}
