package io.berth.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The harness itself against real HAProxy 2.6: start, log lines from stdout, the stats socket, alerts, check. */
class HaproxyIT {
    @TempDir
    Path dir;

    @Test
    void servesLogsToStdoutAndAnswersOnItsStatsSocket() {
        int port = BerthInstance.freePort();
        Path sock = dir.resolve("admin.sock");
        String config = """
                global
                    log stdout format raw local0
                    stats socket %s level admin
                defaults
                    mode http
                    log global
                    option httplog
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:%d
                    http-request return status 203 content-type text/plain string hi
                """.formatted(sock, port);
        try (Haproxy haproxy = Haproxy.start(config, port).awaitSocket(sock);
             RawClient c = new RawClient(port)) {
            RawClient.Response r = c.send("GET /probe HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(203);
            await().atMost(Duration.ofSeconds(5)).until(() -> haproxy.logLines().size() == 2);
            // the readiness probe of start() is one empty connection: HAProxy logs it as a bad request
            assertThat(haproxy.logLines().get(0)).contains(" fe fe/<NOSRV> -1/-1/-1/-1/").contains(" 400 0 - - CR-- ")
                    .endsWith(" \"<BADREQ>\"");
            assertThat(haproxy.logLines().get(1)).contains(" fe fe/<NOSRV> ").contains(" 203 ")
                    .endsWith(" \"GET /probe HTTP/1.1\"");
            assertThat(RuntimeApi.cli(sock, "show info")).startsWith("Name: HAProxy\nVersion: 2.6.");
            assertThat(RuntimeApi.cli(sock, "show cli level")).isEqualTo("admin\n\n");
            assertThat(haproxy.alive()).isTrue();
        }
    }

    @Test
    void aConfigHaproxyRefusesFailsTheStartWithItsAlert() {
        Haproxy.assumeInstalled();
        assertThatThrownBy(() -> Haproxy.start("frontend fe\n    bind 127.0.0.1:" + BerthInstance.freePort()
                + "\n    servr x\n", BerthInstance.freePort()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("unknown keyword 'servr' in 'frontend' section");
    }

    @Test
    void checkReportsAlertsWithTheFileNameAsGiven() throws Exception {
        Haproxy.assumeInstalled();
        Path cfg = dir.resolve("c.cfg");
        Files.writeString(cfg, "backend be\n    balance foo\n");
        assertThat(Haproxy.check(cfg)).contains("[ALERT]").contains("config : parsing [c.cfg:2] : balance only supports")
                .contains("Error(s) found in configuration file : c.cfg");
    }
}
