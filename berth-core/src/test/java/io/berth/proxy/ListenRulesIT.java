package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code listen} is one proxy: its http-request/http-response rules run once per request, even though Berth
 * models it as a frontend and a backend; reached from another frontend through use_backend, they run in the
 * backend phase (HAProxy's http_process_req_common runs for the backend only when it differs).
 */
class ListenRulesIT {
    @RegisterExtension
    static Backends backends = Backends.start(1);

    @Test
    void listenRulesRunOnceAndAsBackendOfAnotherFrontend() {
        backends.get("s1").respond(Reply.ok("ok"));
        String cfg = """
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                listen li
                  bind 127.0.0.1:${li}
                  http-request add-header X-Req li
                  http-response add-header X-Res li
                  server s1 127.0.0.1:${s1}
                frontend fe
                  bind 127.0.0.1:${fe}
                  http-request add-header X-Req fe
                  use_backend li
                """;
        try (BerthInstance berth = BerthInstance.start(cfg, backends)) {
            try (RawClient c = new RawClient(berth.port("li"))) {
                RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                assertThat(r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("x-res"))).hasSize(1);
            }
            assertThat(backends.get("s1").last().headers("x-req")).containsExactly("li");
            try (RawClient c = new RawClient(berth.port("fe"))) {
                RawClient.Response r = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                assertThat(r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("x-res"))).hasSize(1);
            }
            assertThat(backends.get("s1").last().headers("x-req")).containsExactly("fe", "li");
        }
    }
}
