package io.berth.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking client connection that writes exact bytes and reads exact bytes back, for wire-level assertions
 * (header case and order, error pages, keep-alive). Test-thread only.
 */
public final class RawClient implements AutoCloseable {
    /** One response as read off the wire; {@code head} is the status line and headers with their CRLFs. */
    public record Response(String head, int status, List<Map.Entry<String, String>> headers, byte[] body) {
        public String header(String name) {
            return headers.stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        public String wire() {
            return head + bodyText();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) {
        this("127.0.0.1", port);
    }

    /**
     * A connection from the local address {@code source} (any of 127.0.0.0/8 on Linux), so tests can play many
     * clients for source-based persistence and rate limits.
     */
    public RawClient(String source, int port) {
        try {
            socket = new Socket();
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything until the peer closes (or the read timeout, then what came so far). */
    public String readAll() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // return what arrived
        } catch (IOException e) {
            // reset: return what arrived
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the peer closed the connection (EOF) within the read timeout. */
    public boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    /** Reads one response; {@code head} true when it answers a HEAD request (no body). */
    public Response readResponse(boolean headRequest) {
        try {
            String head = readHead();
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.add(Map.entry(lines[i].substring(0, c), lines[i].substring(c + 1).trim()));
            }
            Response r = new Response(head, status, headers, new byte[0]);
            if (headRequest || status == 204 || status == 304 || status < 200) {
                return r;
            }
            byte[] body;
            String te = r.header("transfer-encoding");
            String cl = r.header("content-length");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked();
            } else if (cl != null) {
                body = in.readNBytes(Integer.parseInt(cl));
            } else {
                body = in.readAllBytes();
            }
            return new Response(head, status, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response readResponse() {
        return readResponse(false);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after " + b.size() + " bytes: " + b);
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                    : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            String size = readLine();
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return b.toByteArray();
            }
            b.write(in.readNBytes(n));
            readLine();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
