package io.berth.health;

import io.berth.model.CheckSpec;
import io.berth.model.Location;
import io.berth.model.ServerSpec;
import io.berth.model.ServerTlsSpec;
import io.berth.model.TimeoutsSpec;
import io.berth.proxy.tls.TestCertificates;
import io.berth.proxy.tls.TlsBackend;
import io.berth.server.ServerGroup;
import io.berth.server.ServerState;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.berth.health.HealthFixtures.backend;
import static io.berth.health.HealthFixtures.check;
import static io.berth.health.HealthFixtures.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health checks over TLS ({@code check-ssl}, {@code check-sni}): a TLS server passes as {@code L6OK} with the
 * check's SNI, a clear-text server fails as HAProxy 2.6.12 reports it (wording captured from the binary with
 * {@code check check-ssl verify none} against a plain HTTP port), and {@code ssl} alone makes checks TLS.
 */
class ServerTlsCheckIT {
    @TempDir
    Path dir;
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HealthFixtures.Events events = new HealthFixtures.Events();

    @AfterEach
    void tearDown() throws Exception {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static ServerSpec server(String name, int port, ServerTlsSpec tls) {
        // inter 1 s: the first handshakes of a cold JVM on a busy machine take a few hundred ms (fall 1: fast DOWN)
        CheckSpec c = check(1000, 1000, 1000, 2, 1);
        return new ServerSpec(name, Location.NONE, 1, false, "127.0.0.1", port, 1, false, 0, false, null, c, 0,
                false, tls);
    }

    @Test
    void checkSslPassesOnTlsAndFailsOnClearText() throws Exception {
        ServerTlsSpec checkSsl = ServerTlsSpec.NONE.withCheckSsl(true).withVerifyNone(true).withCheckSni("chk.test");
        try (TlsBackend tls = new TlsBackend("tls", TestCertificates.selfSigned(dir, "t.pem", "t.test"));
             PlainAnswer plain = new PlainAnswer();
             CheckTarget silent = new CheckTarget()) {
            List<ServerSpec> specs = List.of(server("s1", tls.port(), checkSsl), server("s2", plain.port(), checkSsl),
                    server("s3", tls.port(), ServerTlsSpec.NONE.withSsl(true).withVerifyNone(true)),
                    server("s4", silent.port(), checkSsl));
            ServerGroup g = group("be", specs);
            HealthChecks hc = HealthChecks.start(backend("be", specs, null, TimeoutsSpec.NONE), g, loops, events,
                    new HealthOptions(false, "backend"));
            try {
                await().atMost(Duration.ofSeconds(8)).until(() -> g.byName("s2").state() == ServerState.DOWN
                        && hc.state("s1").orElseThrow().status() == CheckStatus.L6OK
                        && hc.state("s3").orElseThrow().status() == CheckStatus.L6OK);
                assertThat(hc.state("s1").orElseThrow().status()).isEqualTo(CheckStatus.L6OK);
                assertThat(hc.state("s3").orElseThrow().status()).isEqualTo(CheckStatus.L6OK);
                // a server that never answers the ClientHello: the deadline passes during the handshake
                await().atMost(Duration.ofSeconds(8)).until(() -> g.byName("s4").state() == ServerState.DOWN);
                assertThat(hc.state("s4").orElseThrow().status()).isEqualTo(CheckStatus.L6TOUT);
                CheckState s2 = hc.state("s2").orElseThrow();
                assertThat(s2.status()).isEqualTo(CheckStatus.L6RSP);
                assertThat(s2.info()).isEqualTo("SSL handshake failure");
                assertThat(events.messages().stream().filter(m -> m.startsWith("Server be/s2")).findFirst()
                        .orElseThrow().replaceAll("check duration: \\d+ms", "check duration: Nms")
                        .replaceAll("\\d active", "N active"))
                        .isEqualTo("Server be/s2 is DOWN, reason: Layer6 invalid response, info: \"SSL handshake"
                                + " failure\", check duration: Nms. N active and 0 backup servers left. 0 sessions"
                                + " active, 0 requeued, 0 remaining in queue.");
                assertThat(g.byName("s1").state()).isEqualTo(ServerState.UP);
                assertThat(tls.sni).contains("chk.test", "");
                assertThat(tls.sni).containsOnly("chk.test", "");
            } finally {
                hc.stop();
            }
        }
    }

    /** A clear-text HTTP port that answers anything at once with a 400 and closes, as HAProxy's own frontend does. */
    private static final class PlainAnswer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        PlainAnswer() throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        s.getInputStream().read(new byte[512]);
                        s.getOutputStream().write("HTTP/1.1 400 Bad request\r\ncontent-length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed, or the client went away: next one
                    }
                }
            }, "plain-answer");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
