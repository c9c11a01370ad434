package io.berth.proxy;

import io.berth.log.TcpLogEntry;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** TCP mode: bytes both ways, half-close, tcplog, connect failure. */
class TcpProxyIT {
    private ServerSocket echo;
    private Thread echoThread;

    /** Reads until the client's FIN, then answers everything it read, reversed in case, and closes. */
    @BeforeEach
    void startEchoAfterEof() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try (Socket s = echo.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    in.transferTo(got);
                    s.getOutputStream().write(("echo:" + got.toString().toUpperCase()).getBytes());
                    s.shutdownOutput();
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    private String config() {
        return """
                defaults
                  mode tcp
                  option tcplog
                  timeout connect 300ms
                  timeout client 5s
                  timeout server 5s
                frontend fe
                  bind 127.0.0.1:${fe}
                  default_backend be
                backend be
                  server e1 127.0.0.1:${echo}
                """;
    }

    @Test
    void halfCloseTravelsToTheServerAndTheAnswerComesBack() {
        String cfg = BerthInstance.substitute(config(), new java.util.HashMap<>(Map.of("echo", String.valueOf(echo.getLocalPort()))));
        try (BerthInstance berth = BerthInstance.start(cfg, null);
             RawClient c = new RawClient(berth.port("fe"))) {
            c.send("hello tcp");
            c.shutdownOutput();
            assertThat(c.readAll()).isEqualTo("echo:HELLO TCP");
            await().atMost(Duration.ofSeconds(5)).until(() -> berth.tcpLog().size() == 1);
            TcpLogEntry e = berth.tcpLog().get(0);
            assertThat(e.backendName()).isEqualTo("be");
            assertThat(e.serverName()).isEqualTo("e1");
            assertThat(e.bytesRead()).isEqualTo("echo:HELLO TCP".length());
            assertThat(e.terminationState()).isEqualTo("----");
            assertThat(e.tw()).isZero();
            assertThat(e.tc()).isGreaterThanOrEqualTo(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> berth.runtime().currentConns.get() == 0);
            assertThat(berth.runtime().backend("be").currentConns.get()).isZero();
            assertThat(berth.runtime().backend("be").servers().byName("e1").currentConns.get()).isZero();
        }
    }

    @Test
    void refusedServerClosesTheClientAndLogsSC() throws IOException {
        int closed = BerthInstance.freePort();
        String cfg = BerthInstance.substitute(config(), new java.util.HashMap<>(Map.of("echo", String.valueOf(closed))));
        try (BerthInstance berth = BerthInstance.start(cfg, null);
             RawClient c = new RawClient(berth.port("fe"))) {
            assertThat(c.readAll()).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> berth.tcpLog().size() == 1);
            TcpLogEntry e = berth.tcpLog().get(0);
            assertThat(e.terminationState()).isEqualTo("SC--");
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.tc()).isEqualTo(-1);
        }
    }
}
