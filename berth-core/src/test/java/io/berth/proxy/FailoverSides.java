package io.berth.proxy;

import io.berth.health.HealthChecks;
import io.berth.log.HttpLogFormat;
import io.berth.runtime.RuntimeBackend;
import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.Recorded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Real HAProxy 2.6 and Berth side by side on one config text, for {@link RetryRedispatchDifferentialIT}: each
 * {@code listen} binds a port chosen separately for each side ({@code ${name}} placeholders), servers {@code ${s1}..}
 * are the shared test backends and {@code ${dead}} one closed port, the same for both. Berth's health checks are
 * started here as the process would start them. {@link #exchange} sends the same request to both at the same time
 * and returns, for each, what the client got, which backend recorded it, and the fields of its httplog line (HAProxy's
 * read from its stdout, Berth's formatted by {@link HttpLogFormat} from the recorded entry and parsed by the same
 * pattern). Used from the test thread.
 */
final class FailoverSides implements AutoCloseable {
    private static final String MARK = "x-side-id";
    /** {@code %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq "%r"}. */
    private static final Pattern HTTPLOG = Pattern.compile("^\\S+:\\d+ \\[[^]]+] (\\S+) (\\S+)/(\\S+) "
            + "(-?\\d+)/(-?\\d+)/(-?\\d+)/(-?\\d+)/\\+?(-?\\d+) (\\d+) (\\d+) (\\S+) (\\S+) (\\S{4}) "
            + "\\d+/\\d+/\\d+/\\d+/(\\+?\\d+) (\\d+)/(\\d+) \"(.*)\"$");

    /**
     * What one side showed for one request.
     *
     * @param status     status the client got, 0 when the connection broke without an answer
     * @param servedBy   the test backend that recorded the last copy of the request, or {@code -}
     * @param hits       how many copies of the request each backend recorded, e.g. {@code {s2=4}}
     * @param logServer  {@code %s} of the log line
     * @param timers     {@code TR/Tw/Tc/Tr/Ta} as logged
     * @param bytes      {@code %B}
     * @param tsc        termination state with cookie letters
     * @param retries    {@code %rc}, {@code +N} when redispatched
     * @param queues     {@code %sq/%bq}
     */
    record Seen(int status, String servedBy, Map<String, Integer> hits, String logServer, long[] timers, long bytes,
                String tsc, String retries, String queues) {

        /**
         * The timers in units of {@code unitMs} (rounded), -1 kept: the shape of the line whatever the jitter,
         * e.g. {@code 0/2002/0/2/2004} with unit 1000 → {@code 0/2/0/0/2}.
         */
        String pattern(long unitMs) {
            StringBuilder sb = new StringBuilder();
            for (long t : timers) {
                if (!sb.isEmpty()) {
                    sb.append('/');
                }
                sb.append(t < 0 ? "-1" : String.valueOf(Math.round((double) t / unitMs)));
            }
            return sb.toString();
        }

        /**
         * The comparable summary of this side for a case, with timers in units of {@code unitMs}. {@code %B} is left
         * out: HAProxy 2.6 counts HTX bytes (217 for its 503 page, whose wire size is 214), Berth wire bytes.
         */
        String summary(long unitMs) {
            return "status=" + status + " servedBy=" + servedBy + " hits=" + hits + " log=" + logServer + " "
                    + pattern(unitMs) + " " + tsc + " rc=" + retries + " q=" + queues;
        }
    }

    private final Backends backends;
    private final Haproxy haproxy;
    private final Map<String, String> haPorts = new HashMap<>();
    private final BerthInstance berth;
    private final Map<String, HealthChecks> checks = new HashMap<>();
    private final List<String> healthEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    /**
     * Starts both sides and waits until HAProxy listens.
     *
     * @param dead a port where nothing listens, written for {@code ${dead}} on both sides
     */
    FailoverSides(String config, Backends backends, int dead) throws Exception {
        this.backends = backends;
        haPorts.putAll(backends.placeholders());
        haPorts.put("dead", String.valueOf(dead));
        String haText = BerthInstance.substitute(config, haPorts);
        int[] listeners = haPorts.entrySet().stream().filter(e -> !e.getKey().matches("s\\d+|dead"))
                .mapToInt(e -> Integer.parseInt(e.getValue())).toArray();
        haproxy = Haproxy.start(haText, listeners);
        berth = BerthInstance.start(config.replace("${dead}", String.valueOf(dead)), backends);
        for (RuntimeBackend b : berth.runtime().backends()) {
            checks.put(b.name(), HealthChecks.start(b.spec(), b.servers(), berth.proxy().eventLoopGroup(),
                    (level, message) -> healthEvents.add(message), new io.berth.health.HealthOptions(
                            b.spec().options().logHealthChecks(), "listen")));
        }
    }

    BerthInstance berth() {
        return berth;
    }

    /** Waits until both sides hold {@code listen/server} DOWN by health check. */
    void awaitDown(String listen, String server) {
        await().atMost(Duration.ofSeconds(10)).until(() -> haproxy.output().contains("Server " + listen + "/" + server
                + " is DOWN") && checks.get(listen).state(server).orElseThrow().down());
    }

    /** Sends the same GET to both sides' {@code listen} at the same time; returns {HAProxy, Berth}. */
    Seen[] exchange(String listen, String path, String cookie) {
        CompletableFuture<Seen> ha = CompletableFuture.supplyAsync(
                () -> send(Integer.parseInt(haPorts.get(listen)), path, cookie, true));
        CompletableFuture<Seen> be = CompletableFuture.supplyAsync(() -> send(berth.port(listen), path, cookie, false));
        return new Seen[]{ha.join(), be.join()};
    }

    private Seen send(int port, String path, String cookie, boolean isHaproxy) {
        String id = (isHaproxy ? "h" : "b") + ids.incrementAndGet();
        String uri = path + (path.contains("?") ? "&" : "?") + "rid=" + id;
        String req = "GET " + uri + " HTTP/1.1\r\nHost: t\r\n" + MARK + ": " + id + "\r\n"
                + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "Connection: close\r\n\r\n";
        int status;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            status = statusOf(s.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Integer> hits = new TreeMap<>();
        String servedBy = "-";
        for (String n : backends.placeholders().keySet()) {
            for (Recorded r : backends.get(n).requests()) {
                if (id.equals(r.header(MARK))) {
                    hits.merge(n, 1, Integer::sum);
                    servedBy = n;
                }
            }
        }
        Matcher m = logLine(uri, isHaproxy);
        long[] timers = new long[5];
        for (int i = 0; i < 5; i++) {
            timers[i] = Long.parseLong(m.group(4 + i));
        }
        return new Seen(status, hits.size() == 1 ? servedBy : hits.isEmpty() ? "-" : "several", hits, m.group(3),
                timers, Long.parseLong(m.group(10)), m.group(13), m.group(14), m.group(15) + "/" + m.group(16));
    }

    /** The status of the response, 0 when the connection closed before a status line. */
    private static int statusOf(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // keep what came
        }
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        return text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
    }

    private Matcher logLine(String uri, boolean isHaproxy) {
        String needle = " " + uri + " HTTP/1.1\"";
        Matcher[] found = new Matcher[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> lines = isHaproxy ? haproxy.logLines() : berthLines();
            for (String l : lines) {
                if (l.endsWith(needle)) {
                    Matcher m = HTTPLOG.matcher(l);
                    if (!m.matches()) {
                        throw new AssertionError("unexpected log line: " + l);
                    }
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private List<String> berthLines() {
        List<String> out = new ArrayList<>();
        berth.httpLog().forEach(e -> out.add(HttpLogFormat.format(e)));
        return out;
    }

    /**
     * The health lines ("Health check for ...", "Server ... is UP/DOWN") about {@code listen}'s servers logged so
     * far by {HAProxy, Berth}, check durations masked.
     */
    List<List<String>> healthLines(String listen) throws IOException {
        // stdout only: HAProxy repeats "Server ... is DOWN" on stderr as [WARNING] lines
        return List.of(health(haproxy.logLines(), listen), health(healthEvents, listen));
    }

    private static List<String> health(List<String> lines, String listen) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("server " + listen + "/") || l.startsWith("Server " + listen + "/")) {
                out.add(l.replaceAll("check duration: \\d+ms", "check duration: Nms"));
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        checks.values().forEach(HealthChecks::stop);
        berth.close();
        haproxy.close();
    }
}
