package io.berth.persist.cookie;

import io.berth.log.HttpLogEntry;
import io.berth.testkit.Backend;
import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Real HAProxy 2.6 and Berth side by side for the cookie differential test: both run the same config text (bind
 * ports as {@code ${name}} placeholders, chosen separately for each; servers {@code ${s1}..} shared) against the
 * same test backends, which answer with their name and, on demand from the query string, {@code Set-Cookie}
 * ({@code setcookie=}), {@code Cache-Control} ({@code cc=}), any header ({@code h=Name:value}) or status. One
 * {@link #exchange} sends the same request bytes to both, one at a time, and returns what each side showed: the
 * response's Set-Cookie and Cache-Control values, the Cookie headers the backend received, the server chosen (by
 * the backend that recorded the request and by the log) and the log's termination state. HAProxy's log lines are
 * read from its stdout ({@code log stdout format raw}). Used from the test thread only.
 */
final class CookieOracle implements AutoCloseable {
    private static final String MARK = "x-oracle-id";

    /** One request: method, URI, Cookie header lines (each its own line), other header lines "Name: value". */
    record Req(String method, String uri, List<String> cookies, List<String> headers) {
        static Req get(String uri, String... cookies) {
            return new Req("GET", uri, List.of(cookies), List.of());
        }

        Req with(String header) {
            List<String> h = new ArrayList<>(headers);
            h.add(header);
            return new Req(method, uri, cookies, h);
        }

        Req post() {
            return new Req("POST", uri, cookies, headers);
        }
    }

    /** What one side showed for one request. */
    record Seen(String server, String logServer, List<String> setCookies, List<String> cacheControls,
                List<String> backendCookies, String termination) {
        @Override
        public String toString() {
            return "server=" + server + "/" + logServer + " tsc=" + termination + " set-cookie=" + setCookies
                    + " cache-control=" + cacheControls + " backend-cookie=" + backendCookies;
        }
    }

    private final Backends backends;
    private final Haproxy haproxy;
    private final Map<String, String> haPorts = new HashMap<>();
    private final BerthInstance berth;
    private final AtomicInteger ids = new AtomicInteger();

    CookieOracle(String config, Backends backends) throws Exception {
        this.backends = backends;
        answerQueries();
        haPorts.putAll(backends.placeholders());
        String haText = BerthInstance.substitute(config, haPorts);
        int[] listeners = haPorts.entrySet().stream().filter(e -> !e.getKey().matches("s\\d+"))
                .mapToInt(e -> Integer.parseInt(e.getValue())).toArray();
        haproxy = Haproxy.start(haText, listeners);
        berth = BerthInstance.start(config, backends);
    }

    /** (Re)installs the backends' answers (the Backends extension resets them after each test). */
    void answerQueries() {
        for (String n : backends.placeholders().keySet()) {
            backends.get(n).respond(r -> answer(r, n));
        }
    }

    /** A test backend's answer: its name, plus what the query string asks for. */
    static Reply answer(Recorded r, String name) {
        int q = r.uri().indexOf('?');
        Map<String, List<String>> params = new HashMap<>();
        if (q >= 0) {
            for (String kv : r.uri().substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    params.computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>())
                            .add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        int status = Integer.parseInt(params.getOrDefault("status", List.of("200")).get(0));
        Reply reply = Reply.status(status).body(name);
        for (String c : params.getOrDefault("setcookie", List.of())) {
            reply = reply.header("Set-Cookie", c);
        }
        for (String c : params.getOrDefault("cc", List.of())) {
            reply = reply.header("Cache-Control", c);
        }
        for (String h : params.getOrDefault("h", List.of())) {
            int colon = h.indexOf(':');
            reply = reply.header(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        return reply;
    }

    /** Sends {@code req} to HAProxy's then Berth's {@code listen px}; returns {HAProxy, Berth}. */
    Seen[] exchange(String px, Req req) throws IOException {
        Seen ha = send(Integer.parseInt(haPorts.get(px)), req, true);
        Seen be = send(berth.port(px), req, false);
        return new Seen[]{ha, be};
    }

    private Seen send(int port, Req req, boolean isHaproxy) throws IOException {
        String id = (isHaproxy ? "h" : "b") + ids.incrementAndGet();
        String uri = req.uri() + (req.uri().contains("?") ? "&" : "?") + "rid=" + id;
        StringBuilder sb = new StringBuilder(req.method()).append(' ').append(uri).append(" HTTP/1.1\r\n")
                .append("Host: t\r\n").append(MARK).append(": ").append(id).append("\r\n");
        for (String c : req.cookies()) {
            sb.append("Cookie: ").append(c).append("\r\n");
        }
        for (String h : req.headers()) {
            sb.append(h).append("\r\n");
        }
        if (req.method().equals("POST")) {
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        String head;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            head = readHead(s.getInputStream());
        }
        List<String> setCookies = new ArrayList<>();
        List<String> cacheControls = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("set-cookie")) {
                setCookies.add(value);
            } else if (name.equalsIgnoreCase("cache-control")) {
                cacheControls.add(value);
            }
        }
        String server = null;
        List<String> backendCookies = List.of();
        for (String n : backends.placeholders().keySet()) {
            Backend b = backends.get(n);
            for (Recorded r : b.requests()) {
                if (id.equals(r.header(MARK))) {
                    server = n;
                    backendCookies = r.headers("cookie");
                }
            }
        }
        String[] log = isHaproxy ? haproxyLog(uri) : berthLog(uri);
        return new Seen(server, log[0], setCookies, cacheControls, backendCookies, log[1]);
    }

    /** {server, termination state} from HAProxy's httplog line for {@code uri}. */
    private String[] haproxyLog(String uri) {
        String needle = " " + uri + " HTTP/1.1\"";
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            for (String line : haproxy.logLines()) {
                if (line.contains(needle)) {
                    found[0] = line;
                    return true;
                }
            }
            return false;
        });
        // ci:cp [date] fe be/srv TR/Tw/Tc/Tr/Ta status bytes CC CS tsc ...
        String[] f = found[0].split(" ");
        String srv = f[3].substring(f[3].indexOf('/') + 1);
        return new String[]{srv, f[9]};
    }

    private String[] berthLog(String uri) {
        String needle = " " + uri + " ";
        HttpLogEntry[] found = new HttpLogEntry[1];
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            for (HttpLogEntry e : berth.httpLog()) {
                if (e.requestLine().contains(needle)) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        });
        return new String[]{found[0].serverName(), found[0].terminationState()};
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            all.write(buf, 0, n);
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    @Override
    public void close() throws Exception {
        if (berth != null) {
            berth.close();
        }
        haproxy.close();
    }
}
