package io.berth.proxy;

import io.berth.testkit.Backends;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Haproxy;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HAProxy 2.6 keeps a keep-alive client connection after its own 502/503/504 pages and after deny/return: two
 * requests on one connection get two answers. Differential: the same sequences against real HAProxy and Berth.
 */
class KeepAliveAfterErrorIT {
    @RegisterExtension
    static Backends backends = Backends.start(2);

    private static final String CONFIG = """
            defaults
                mode http
                timeout connect 200ms
                timeout client 5s
                timeout server 400ms
                retries 0
            listen dead
                bind 127.0.0.1:${dead}
                server s1 127.0.0.1:${closed}
            listen deny
                bind 127.0.0.1:${deny}
                http-request deny if { path /no }
                http-request return status 200 content-type text/plain string ok if { path /ret }
                server s1 127.0.0.1:${s1}
            listen slow
                bind 127.0.0.1:${slow}
                server s2 127.0.0.1:${s2}
            listen nosrv
                bind 127.0.0.1:${nosrv}
                server s1 127.0.0.1:${s1} disabled
            """;

    @Test
    void twoRequestsOnOneConnectionGetTwoAnswersLikeHaproxy() {
        backends.get("s1").respond(Reply.ok("fine"));
        backends.get("s2").respond(Reply.ok("late").delayed(2000));
        Map<String, String> berthPorts = ports(backends.placeholders());
        Map<String, String> hapPorts = ports(backends.placeholders());
        hapPorts.put("closed", berthPorts.get("closed"));
        String[][] cases = {{"dead", "/", "/"}, {"deny", "/no", "/no"}, {"deny", "/no", "/ok"},
                {"deny", "/ret", "/ok"}, {"slow", "/", "/"}, {"nosrv", "/", "/"}};
        try (BerthInstance berth = BerthInstance.start(BerthInstance.substitute(CONFIG, berthPorts), backends);
             Haproxy haproxy = Haproxy.start(BerthInstance.substitute(CONFIG, hapPorts),
                     Integer.parseInt(hapPorts.get("dead")), Integer.parseInt(hapPorts.get("nosrv")))) {
            for (String[] c : cases) {
                List<Integer> fromHaproxy = twoRequests(Integer.parseInt(hapPorts.get(c[0])), c[1], c[2]);
                List<Integer> fromBerth = twoRequests(berth.port(c[0]), c[1], c[2]);
                assertThat(fromBerth).as("%s %s then %s", c[0], c[1], c[2]).isEqualTo(fromHaproxy);
                assertThat(fromHaproxy).as("HAProxy answers both").hasSize(2);
            }
        }
    }

    private static Map<String, String> ports(Map<String, String> placeholders) {
        Map<String, String> values = new HashMap<>(placeholders);
        for (String name : new String[] {"dead", "deny", "slow", "nosrv", "closed"}) {
            values.put(name, Integer.toString(BerthInstance.freePort()));
        }
        return values;
    }

    /** Status of each answer to two requests sent one after the other on one connection (fewer if it closed). */
    private static List<Integer> twoRequests(int port, String first, String second) {
        List<Integer> statuses = new ArrayList<>();
        try (RawClient c = new RawClient(port)) {
            for (String path : new String[] {first, second}) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                statuses.add(c.readResponse().status());
            }
        } catch (RuntimeException closed) {
            // the connection was closed before the second answer: the list says so
        }
        return statuses;
    }
}
