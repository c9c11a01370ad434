package io.berth.api;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code show sess} lists the client connections being served, with HAProxy's leading fields. */
class ShowSessIT {
    @RegisterExtension
    static Backends backends = Backends.start(1);

    @TempDir
    Path dir;

    @Test
    void listsTheConnectionInFlightWithItsBackendAndServer() throws Exception {
        backends.get("s1").respond(Reply.ok("slow").delayed(1500));
        String cfg = """
                global
                    stats socket %s level admin
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:${fe}
                    default_backend be
                backend be
                    server s1 127.0.0.1:${s1}
                """.formatted(dir.resolve("admin.sock"));
        try (BerthInstance berth = BerthInstance.start(cfg, backends)) {
            var rt = berth.runtime();
            StatsSockets sockets = StatsSockets.start(rt, rt.config().global(), Map.of());
            try (RawClient c = new RawClient(berth.port("fe"))) {
                UnixDomainSocketAddress admin = UnixDomainSocketAddress.of(dir.resolve("admin.sock"));
                // the listener registers the connection on its event loop, a moment after connect() returns
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        StatsSocketIT.exchange(admin, "show sess\n")).matches(
                        "0x[0-9a-f]+: proto=tcpv4 src=127\\.0\\.0\\.1:\\d+ fe=fe be=<NONE> srv=<none> ts=00 age=\\d+s\\n\\n"));
                CompletableFuture<RawClient.Response> answer = CompletableFuture.supplyAsync(
                        () -> c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse());
                await().atMost(Duration.ofSeconds(5)).until(() -> backends.get("s1").requests().size() == 1);
                assertThat(StatsSocketIT.exchange(admin, "show sess\n")).matches(
                        "0x[0-9a-f]+: proto=tcpv4 src=127\\.0\\.0\\.1:\\d+ fe=fe be=be srv=s1 ts=00 age=\\d+s\\n\\n");
                assertThat(answer.get().status()).isEqualTo(200);
            } finally {
                sockets.stop();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> rt.sessions.isEmpty());
        }
    }
}
