package io.berth.proxy;

import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Same config, same bytes sent to /usr/sbin/haproxy and to Berth: the answers must be identical. */
class HttpErrorsDifferentialIT {
    @RegisterExtension
    static Backends backends = Backends.start(1);

    private static final List<String> REQUESTS = List.of(
            "GET / HTTP/1.1\r\nHost x\r\n\r\n",
            "GET /refused HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "v".repeat(15500) + "\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n");

    @Test
    void errorAnswersMatchHaproxyByteForByte() throws Exception {
        Haproxy.assumeInstalled();
        Map<String, String> values = new HashMap<>(backends.placeholders());
        String config = BerthInstance.substitute(HttpErrorsIT.CONFIG.replace("option httplog\n", ""), values);
        String hapConfig = config.replace("${fe}", values.get("fe"))
                .replace("bind 127.0.0.1:" + values.get("fe"), "bind 127.0.0.1:" + BerthInstance.freePort());
        int hapPort = Integer.parseInt(hapConfig.replaceAll("(?s).*bind 127\\.0\\.0\\.1:(\\d+).*", "$1"));
        try (Haproxy hap = Haproxy.start(hapConfig, hapPort);
             BerthInstance berth = BerthInstance.start(config, backends)) {
            for (String request : REQUESTS) {
                String fromHaproxy = exchange(hapPort, request);
                String fromBerth = exchange(berth.port("fe"), request);
                assertThat(fromBerth).as("answer to %s", request.lines().findFirst().orElse(""))
                        .isEqualTo(fromHaproxy);
            }
        }
    }

    private static String exchange(int port, String request) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send(request);
            return c.readAll();
        }
    }
}
