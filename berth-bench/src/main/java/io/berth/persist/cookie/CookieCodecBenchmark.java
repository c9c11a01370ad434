package io.berth.persist.cookie;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeBuilder;
import io.berth.server.Server;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-request cost of cookie persistence, over Netty headers as the data plane holds them (the adapter is the same
 * few lines as {@code proxy/http/CookieStep}): parsing a realistic browser {@code Cookie} header (analytics, session
 * and the persistence cookie among six) and choosing the server, in plain insert mode (header forwarded as is) and
 * insert+indirect (the persistence cookie cut out); the response step of a first visit (insert decision,
 * {@code Set-Cookie} built, {@code nocache} cacheability check) and of a returning client (nothing to insert).
 * Report {@code ns/op} and {@code gc.alloc.rate.norm} ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CookieCodecBenchmark {
    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            backend plain
                cookie SRVID insert
                server s1 127.0.0.1:8001 cookie app1
                server s2 127.0.0.1:8002 cookie app2
                server s3 127.0.0.1:8003 cookie app3
                server s4 127.0.0.1:8004 cookie app4
            backend indirect
                cookie SRVID insert indirect nocache httponly secure
                server s1 127.0.0.1:8001 cookie app1
                server s2 127.0.0.1:8002 cookie app2
                server s3 127.0.0.1:8003 cookie app3
                server s4 127.0.0.1:8004 cookie app4
            """;
    static final String COOKIE = "_ga=GA1.2.1234567890.1690000000; _gid=GA1.2.987654321.1690000000; "
            + "session_id=3f2a9c1e7b6d4a5f8e0c1d2b; SRVID=app3; theme=dark; lang=en-US";

    private CookiePersistence plain;
    private CookiePersistence indirect;
    private Server s3;
    private final CookieState state = new CookieState();
    private final HttpHeaders request = new DefaultHttpHeaders();
    private final HttpHeaders response = new DefaultHttpHeaders();
    private long now;

    @Setup
    public void setup() throws Exception {
        ConfigLoader.Result parsed = ConfigLoader.parse(Subsystems.keywords(), "bench.cfg", CONFIG);
        if (!parsed.ok()) {
            throw new IllegalStateException(parsed.texts().toString());
        }
        Runtime rt = RuntimeBuilder.build(parsed.config(), null);
        RuntimeBackend p = rt.backend("plain");
        RuntimeBackend i = rt.backend("indirect");
        plain = p.cookie();
        indirect = i.cookie();
        s3 = i.servers().byName("s3");
        now = System.currentTimeMillis() / 1000;
        // sanity: the benchmark measures the real decision
        Server chosen = request(indirect);
        if (chosen != s3 || !request.get("cookie").equals(COOKIE.replace(" SRVID=app3;", ""))) {
            throw new IllegalStateException("unexpected " + chosen + " " + request.get("cookie"));
        }
        insert();
        if (!response.get("set-cookie").equals("SRVID=app3; path=/; HttpOnly; Secure")
                || !response.getAll("cache-control").equals(List.of("max-age=60", "private"))) {
            throw new IllegalStateException("unexpected " + response);
        }
    }

    private Server request(CookiePersistence cp) {
        request.set("host", "www.example.com").set("cookie", COOKIE);
        state.reset();
        cp.onRequest(new io.berth.proxy.http.NettyHeaderAccess(request), state, now);
        return state.target();
    }

    private HttpHeaders respond(CookieState st) {
        response.clear();
        response.set("content-type", "text/html").set("content-length", "1024").set("cache-control", "max-age=60");
        indirect.onResponse(new io.berth.proxy.http.NettyHeaderAccess(response), "GET", 200, s3, st, now);
        return response;
    }

    /** What the other benchmarks pay for resetting the headers alone (subtract it). */
    @Benchmark
    public HttpHeaders baseline() {
        request.set("host", "www.example.com").set("cookie", COOKIE);
        state.reset();
        response.clear();
        response.set("content-type", "text/html").set("content-length", "1024").set("cache-control", "max-age=60");
        return response;
    }

    /** Cookie header parsed, server chosen; the header is forwarded unchanged. */
    @Benchmark
    public Server requestChooseServer() {
        return request(plain);
    }

    /** Cookie header parsed, server chosen, the persistence cookie removed from the forwarded header. */
    @Benchmark
    public Server requestChooseServerIndirect() {
        return request(indirect);
    }

    /** First visit: the response step inserts {@code Set-Cookie} and {@code cache-control: private}. */
    @Benchmark
    public HttpHeaders insert() {
        state.reset();
        return respond(state);
    }

    /** Returning client with a valid cookie: the response step decides there is nothing to insert. */
    @Benchmark
    public HttpHeaders returningClient() {
        request(indirect);
        return respond(state);
    }
}
