package io.berth.proxy;

import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RawClient;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code timeout client} only runs while the request is still arriving: a bodiless GET whose server is being
 * retried for longer than the client timeout still gets HAProxy's 503 after the retries, not a silent close.
 */
class ClientTimeoutDuringRetriesIT {
    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
                retries 3
            listen li
                bind 127.0.0.1:${li}
                server s1 127.0.0.1:${closed}
            """;

    @Test
    void retriesOutlastTheClientTimeoutLikeHaproxy() {
        Map<String, String> berthPorts = ports();
        Map<String, String> hapPorts = ports();
        hapPorts.put("closed", berthPorts.get("closed"));
        try (BerthInstance berth = BerthInstance.start(BerthInstance.substitute(CONFIG, berthPorts), null);
             Haproxy haproxy = Haproxy.start(BerthInstance.substitute(CONFIG, hapPorts),
                     Integer.parseInt(hapPorts.get("li")))) {
            int fromHaproxy = status(Integer.parseInt(hapPorts.get("li")));
            int fromBerth = status(berth.port("li"));
            assertThat(fromHaproxy).isEqualTo(503);
            assertThat(fromBerth).isEqualTo(fromHaproxy);
        }
    }

    private static Map<String, String> ports() {
        Map<String, String> values = new HashMap<>();
        values.put("li", Integer.toString(BerthInstance.freePort()));
        values.put("closed", Integer.toString(BerthInstance.freePort()));
        return values;
    }

    private static int status(int port) {
        try (RawClient c = new RawClient(port)) {
            return c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status();
        }
    }
}
