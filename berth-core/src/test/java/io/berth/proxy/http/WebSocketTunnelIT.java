package io.berth.proxy.http;

import io.berth.proxy.tls.TestCertificates;
import io.berth.testkit.BerthInstance;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket through Berth with Netty's codec on both ends, plain and over TLS: the upgrade is relayed, frames flow
 * both ways (including one the server pushes right after its 101), the cookie inserted on the 101 brings a
 * reconnecting client back to the same server while a client without it is balanced, and {@code timeout tunnel}
 * closes an idle tunnel.
 */
class WebSocketTunnelIT {
    static EventLoopGroup group;
    static WebSocketEcho app1;
    static WebSocketEcho app2;
    @TempDir
    static Path dir;
    static Path cert;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        app1 = new WebSocketEcho("app1", group);
        app2 = new WebSocketEcho("app2", group);
        cert = TestCertificates.selfSigned(dir, "ws.pem", "ws.test");
    }

    @AfterAll
    static void stop() {
        app1.close();
        app2.close();
        group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
    }

    private BerthInstance berth() {
        return BerthInstance.start(BerthInstance.substitute("""
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                    timeout tunnel 700ms
                frontend fe
                    bind 127.0.0.1:${fe}
                    bind 127.0.0.1:${tls} ssl crt CERT
                    default_backend be
                backend be
                    balance roundrobin
                    cookie SRVID insert indirect nocache
                    server app1 127.0.0.1:${s1} cookie app1
                    server app2 127.0.0.1:${s2} cookie app2
                """.replace("CERT", cert.toString()), new java.util.HashMap<>(Map.of("s1",
                String.valueOf(app1.port()), "s2", String.valueOf(app2.port())))), null);
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void echoAndStickyReconnect(boolean tls) throws Exception {
        app1.upgrades.clear();
        app2.upgrades.clear();
        try (BerthInstance berth = berth()) {
            int port = berth.proxy().boundAddresses("fe").get(tls ? 1 : 0).getPort();
            String cookie;
            try (WebSocketClient c = new WebSocketClient(group, port, tls, null)) {
                c.awaitOpen();
                HttpHeaders h = c.upgradeResponse.get(5, TimeUnit.SECONDS);
                assertThat(h.getAll("set-cookie")).containsExactly("SRVID=app1; path=/");
                assertThat(h.get("connection")).isEqualToIgnoringCase("upgrade");
                assertThat(h.get("upgrade")).isEqualToIgnoringCase("websocket");
                assertThat(c.next()).isEqualTo("app1:hello");
                c.send("ping");
                assertThat(c.next()).isEqualTo("app1:ping");
                c.send("x".repeat(50_000));
                assertThat(c.next()).isEqualTo("app1:" + "x".repeat(50_000));
                cookie = "SRVID=app1";
            }
            assertThat(app1.upgrades).hasSize(1);
            assertThat(app1.upgrades.get(0).get("upgrade")).isEqualTo("websocket");
            // Round robin's next pick is app2: the cookie must win.
            try (WebSocketClient c = new WebSocketClient(group, port, tls, cookie)) {
                c.awaitOpen();
                assertThat(c.upgradeResponse.get().getAll("set-cookie")).isEmpty();
                assertThat(c.next()).isEqualTo("app1:hello");
                c.send("again");
                assertThat(c.next()).isEqualTo("app1:again");
            }
            try (WebSocketClient c = new WebSocketClient(group, port, tls, null)) {
                c.awaitOpen();
                assertThat(c.next()).isEqualTo("app2:hello");
            }
            assertThat(app1.upgrades).hasSize(2);
            assertThat(app2.upgrades).hasSize(1);
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false})
    void idleTunnelClosesAfterTimeoutTunnel(boolean tls) throws Exception {
        try (BerthInstance berth = berth();
             WebSocketClient c = new WebSocketClient(group, berth.port("fe"), tls, null)) {
            c.awaitOpen();
            assertThat(c.next()).endsWith(":hello");
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(4)).until(() -> berth.proxy().clientConnections() == 0);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 3000L);
        }
    }
}
