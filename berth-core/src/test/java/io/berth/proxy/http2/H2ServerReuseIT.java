package io.berth.proxy.http2;

import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Streams of one HTTP/2 connection share server connections as HAProxy's do ({@code http-reuse safe}): bodiless
 * requests, whose HEADERS frame ends the stream, must count as wholly received so that their server connection
 * goes back to the pool. Before, each such stream opened (and closed) its own server connection, which made h2
 * several times slower than HTTP/1.1 in bench/tls.sh. (curl 7.88 sends only the first of several URLs over h2c
 * prior knowledge, against HAProxy too, so h2load is the client.)
 */
class H2ServerReuseIT {
    @RegisterExtension
    static Backends backends = Backends.start(1);

    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:${h2c} proto h2
                default_backend be
            backend be
                server app1 127.0.0.1:${s1}
            """;

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void h2loadOverOneConnectionOpensOneServerConnection() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/h2load")), "h2load not installed (nghttp2-client): skipped");
        backends.get("s1").respond(Reply.ok("one"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            String out = run(List.of("/usr/bin/h2load", "-n", "300", "-c", "1", "-m", "1",
                    "http://127.0.0.1:" + berth.placeholder("h2c") + "/"));
            assertThat(out).contains("requests: 300 total, 300 started, 300 done, 300 succeeded");
            assertThat(backends.get("s1").requests()).hasSize(300);
            assertThat(backends.get("s1").connections()).isEqualTo(1);
        }
    }
}
