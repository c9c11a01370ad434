package io.berth.proxy;

import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.Haproxy;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries, redispatch, the cookie target matrix (reference §1.8), {@code retry-on} and queue timeouts, live against
 * /usr/sbin/haproxy: both run the same config text on the same backends (s1 and s2 answer with their name, s3 slowly
 * for the queue case, {@code ${dead}} is a closed port) and for each case the test compares the status the client
 * got, which backend served (and how many copies of the request each saw), the log's server, termination state,
 * bytes, retries ({@code +N} when redispatched), queue positions and the timer pattern: each timer divided by the
 * retry pause (min(1 s, timeout connect) = 1000 ms here), so {@code 0/2002/0/2/2004} reads {@code 0/2/0/0/2}. Each
 * case also pins HAProxy's own values so the comparison cannot pass on two equal wrong answers.
 */
class RetryRedispatchDifferentialIT {
    @RegisterExtension
    static Backends backends = Backends.start(3);

    /** d1 is always the closed port; s1 (cookie c2) the live server; m1 a live server in MAINT. */
    static final String CONFIG = """
            global
              log stdout format raw local0 info
            defaults
              mode http
              log global
              option httplog
              timeout connect 1s
              timeout client 10s
              timeout server 10s
            listen noredisp
              bind 127.0.0.1:${noredisp}
              server d1 127.0.0.1:${dead}
              server s1 127.0.0.1:${s1}
            listen rr
              bind 127.0.0.1:${rr}
              option redispatch
              server d1 127.0.0.1:${dead}
              server s1 127.0.0.1:${s1}
            listen nochk
              bind 127.0.0.1:${nochk}
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1
              server s1 127.0.0.1:${s1} cookie c2
            listen nochk_persist
              bind 127.0.0.1:${nochk_persist}
              option persist
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1
              server s1 127.0.0.1:${s1} cookie c2
            listen nochk_redisp
              bind 127.0.0.1:${nochk_redisp}
              option redispatch
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1
              server s1 127.0.0.1:${s1} cookie c2
            listen nochk_redisp1
              bind 127.0.0.1:${nochk_redisp1}
              option redispatch 1
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1
              server s1 127.0.0.1:${s1} cookie c2
            listen chk
              bind 127.0.0.1:${chk}
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1 check inter 200
              server s1 127.0.0.1:${s1} cookie c2
            listen chk_redisp
              bind 127.0.0.1:${chk_redisp}
              option redispatch
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1 check inter 200
              server s1 127.0.0.1:${s1} cookie c2
            listen chk_persist
              bind 127.0.0.1:${chk_persist}
              option persist
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1 check inter 200
              server s1 127.0.0.1:${s1} cookie c2
            listen chk_persist_redisp
              bind 127.0.0.1:${chk_persist_redisp}
              option persist
              option redispatch
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1 check inter 200
              server s1 127.0.0.1:${s1} cookie c2
            listen chk_force
              bind 127.0.0.1:${chk_force}
              option redispatch
              force-persist if TRUE
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1 check inter 200
              server s1 127.0.0.1:${s1} cookie c2
            listen maint
              bind 127.0.0.1:${maint}
              cookie SRVID insert indirect
              server m1 127.0.0.1:${s2} cookie c1 disabled
              server s1 127.0.0.1:${s1} cookie c2
            listen maint_persist
              bind 127.0.0.1:${maint_persist}
              option persist
              cookie SRVID insert indirect
              server m1 127.0.0.1:${s2} cookie c1 disabled
              server s1 127.0.0.1:${s1} cookie c2
            listen l7
              bind 127.0.0.1:${l7}
              retry-on 503 504 empty-response
              server s2 127.0.0.1:${s2}
            listen q
              bind 127.0.0.1:${q}
              timeout queue 500ms
              server s3 127.0.0.1:${s3} maxconn 1
            """;

    private static FailoverSides sides;

    @BeforeAll
    static void start() throws Exception {
        Haproxy.assumeInstalled();
        sides = new FailoverSides(CONFIG, backends, BerthInstance.freePort());
        for (String listen : new String[]{"chk", "chk_redisp", "chk_persist", "chk_persist_redisp", "chk_force"}) {
            sides.awaitDown(listen, "d1");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (sides != null) {
            sides.close();
        }
    }

    @BeforeEach
    void answers() {
        for (String n : new String[]{"s1", "s2", "s3"}) {
            backends.get(n).respond(r -> answer(r, n));
        }
    }

    /** A backend's answer: its name; {@code st=N} asks for status N, {@code empty} for a closed empty answer. */
    static Reply answer(Recorded r, String name) {
        String uri = r.uri();
        if (uri.contains("empty")) {
            return Reply.raw("");
        }
        int at = uri.indexOf("st=");
        int status = at < 0 ? 200 : Integer.parseInt(uri.substring(at + 3, at + 6));
        Reply reply = Reply.status(status).body(name);
        return uri.contains("slow") ? reply.delayed(1500) : reply;
    }

    /** Runs one case on both sides, checks they agree, returns HAProxy's view for the pinned values. */
    private static FailoverSides.Seen same(String listen, String path, String cookie) {
        FailoverSides.Seen[] s = sides.exchange(listen, path, cookie);
        assertThat(s[1].summary(1000)).as(listen + " " + path + " (haproxy first line, berth second)\n   haproxy "
                + s[0].summary(1000) + "\n   berth   " + s[1].summary(1000)).isEqualTo(s[0].summary(1000));
        return s[0];
    }

    @Test
    void withoutRedispatchEveryRetryHitsTheClosedPortThen503() {
        FailoverSides.Seen ha = same("noredisp", "/", null);
        assertThat(ha.summary(1000)).isEqualTo("status=503 servedBy=- hits={} log=d1 0/0/-1/-1/3 SC-- rc=3 q=0/0");
    }

    @Test
    void nonPersistentRoundRobinRequestIsRedispatchedAtOnce() {
        FailoverSides.Seen ha = same("rr", "/", null);
        assertThat(ha.summary(1000)).isEqualTo("status=200 servedBy=s1 hits={s1=1} log=s1 0/0/0/0/0 ---- rc=+1 q=0/0");
    }

    @Test
    void pinnedToAClosedPortWithoutChecksFailsAfterThreeRetries() {
        FailoverSides.Seen ha = same("nochk", "/", "SRVID=c1");
        assertThat(ha.summary(1000)).isEqualTo("status=503 servedBy=- hits={} log=d1 0/0/-1/-1/3 SCVN rc=3 q=0/0");
        assertThat(same("nochk_persist", "/", "SRVID=c1").summary(1000)).isEqualTo(ha.summary(1000));
    }

    @Test
    void pinnedToAClosedPortWithRedispatchMovesAtTheLastRetry() {
        FailoverSides.Seen ha = same("nochk_redisp", "/", "SRVID=c1");
        assertThat(ha.pattern(1000)).isEqualTo("0/2/0/0/2");
        assertThat(ha.tsc() + " " + ha.retries() + " " + ha.servedBy()).isEqualTo("--DI +3 s1");
    }

    @Test
    void redispatchIntervalOneMovesAtTheFirstRetry() {
        FailoverSides.Seen ha = same("nochk_redisp1", "/", "SRVID=c1");
        assertThat(ha.tsc() + " " + ha.retries() + " " + ha.servedBy()).isEqualTo("--DI +1 s1");
    }

    @Test
    void pinnedToAServerDownByChecksIsRebalancedWithOrWithoutRedispatch() {
        FailoverSides.Seen ha = same("chk", "/", "SRVID=c1");
        assertThat(ha.summary(1000)).isEqualTo("status=200 servedBy=s1 hits={s1=1} log=s1 0/0/0/0/0 --DI rc=0 q=0/0");
        assertThat(same("chk_redisp", "/", "SRVID=c1").summary(1000)).isEqualTo(ha.summary(1000));
    }

    @Test
    void optionPersistToADownServerRetriesItThen503() {
        FailoverSides.Seen ha = same("chk_persist", "/", "SRVID=c1");
        assertThat(ha.summary(1000)).isEqualTo("status=503 servedBy=- hits={} log=d1 0/0/-1/-1/3 SCDN rc=3 q=0/0");
    }

    @Test
    void optionPersistWithRedispatchMovesAtTheFirstRetryAfterAPause() {
        FailoverSides.Seen ha = same("chk_persist_redisp", "/", "SRVID=c1");
        assertThat(ha.pattern(1000)).isEqualTo("0/1/0/0/1");
        assertThat(ha.tsc() + " " + ha.retries() + " " + ha.servedBy()).isEqualTo("--DI +1 s1");
    }

    @Test
    void forcePersistIsNeverRedispatched() {
        FailoverSides.Seen ha = same("chk_force", "/", "SRVID=c1");
        assertThat(ha.summary(1000)).isEqualTo("status=503 servedBy=- hits={} log=d1 0/0/-1/-1/3 SCDN rc=3 q=0/0");
    }

    @Test
    void pinnedToAServerInMaintIsRebalancedUnlessOptionPersist() {
        FailoverSides.Seen ha = same("maint", "/", "SRVID=c1");
        assertThat(ha.servedBy() + " " + ha.tsc()).isEqualTo("s1 --DI");
        FailoverSides.Seen persist = same("maint_persist", "/", "SRVID=c1");
        assertThat(persist.servedBy() + " " + persist.tsc()).isEqualTo("s2 --DN");
    }

    @Test
    void retryOn503ResendsThreeTimesThenRelaysTheLastAnswer() {
        FailoverSides.Seen ha = same("l7", "/?st=503", null);
        assertThat(ha.status() + " " + ha.hits() + " " + ha.tsc() + " " + ha.retries()).isEqualTo("503 {s2=4} ---- 3");
    }

    @Test
    void retryOn504ResendsThreeTimesThenRelaysTheLastAnswer() {
        FailoverSides.Seen ha = same("l7", "/?st=504", null);
        assertThat(ha.status() + " " + ha.hits() + " " + ha.tsc() + " " + ha.retries()).isEqualTo("504 {s2=4} ---- 3");
    }

    @Test
    void retryOnEmptyResponseEndsWith502() {
        FailoverSides.Seen ha = same("l7", "/empty", null);
        assertThat(ha.status() + " " + ha.hits() + " " + ha.tsc() + " " + ha.retries()).isEqualTo("502 {s2=4} SH-- 3");
    }

    @Test
    void queueTimeoutWithMaxconnOneGives503sQ() {
        // both sides' first requests hold s3's single slot for 1.5 s; the second ones wait 500 ms in the queue
        CompletableFuture<FailoverSides.Seen[]> first = CompletableFuture.supplyAsync(
                () -> sides.exchange("q", "/slow", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> backends.get("s3").requests().size() == 2);
        FailoverSides.Seen[] s = sides.exchange("q", "/second", null);
        assertThat(s[1].summary(500)).as("\n   haproxy " + s[0].summary(500) + "\n   berth   " + s[1].summary(500))
                .isEqualTo(s[0].summary(500));
        assertThat(s[0].summary(500)).isEqualTo("status=503 servedBy=- hits={} log=<NOSRV> 0/1/-1/-1/1 sQ-- rc=0 q=0/1");
        FailoverSides.Seen[] slow = first.join();
        assertThat(slow[1].servedBy() + " " + slow[1].status()).isEqualTo(slow[0].servedBy() + " " + slow[0].status());
        assertThat(Map.of("berth", slow[1].status())).isEqualTo(Map.of("berth", 200));
    }
}
