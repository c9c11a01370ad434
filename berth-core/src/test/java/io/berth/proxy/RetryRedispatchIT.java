package io.berth.proxy;

import io.berth.log.HttpLogEntry;
import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries, redispatch, {@code retry-on} and {@code maxconn} queues against real loopback servers, asserting what the
 * client got, which server answered and how many requests it saw, and the log line (state, %rc, Tw/Tc, %sq/%bq) —
 * the values HAProxy 2.6 logs for the same cases (reference §5, §1.8; /tmp runs of /usr/sbin/haproxy noted inline).
 * {@code timeout connect 200ms} makes the retry pause min(1 s, 200 ms) = 200 ms.
 */
class RetryRedispatchIT {
    @RegisterExtension
    static Backends backends = Backends.start(2);

    static final String P503 = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\n"
            + "content-type: text/html\r\n\r\n<html><body><h1>503 Service Unavailable</h1>\n"
            + "No server is available to handle this request.\n</body></html>\n";

    static final String CONFIG = """
            defaults
              mode http
              option httplog
              timeout connect 200ms
              timeout client 5s
              timeout server 2s
            frontend fe
              bind 127.0.0.1:${fe}
              use_backend noredisp if { path_beg /noredisp }
              use_backend rr if { path_beg /rr }
              use_backend ck if { path_beg /ck }
              use_backend ckpersist if { path_beg /persist }
              use_backend l7r if { path_beg /l7r }
              use_backend l7 if { path_beg /l7 }
              use_backend none if { path_beg /none }
              use_backend q if { path_beg /q }
              default_backend rr
            backend noredisp
              server d1 127.0.0.1:${dead}
              server s2 127.0.0.1:${s2}
            backend rr
              option redispatch
              server d1 127.0.0.1:${dead}
              server s2 127.0.0.1:${s2}
            backend ck
              option redispatch
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1
              server s2 127.0.0.1:${s2} cookie c2
            backend ckpersist
              option redispatch
              option persist
              cookie SRVID insert indirect
              server d1 127.0.0.1:${dead} cookie c1
              server s2 127.0.0.1:${s2} cookie c2
            backend l7
              retry-on 503 empty-response response-timeout
              timeout server 300ms
              server s1 127.0.0.1:${s1}
            backend l7r
              retry-on 503 conn-failure
              option redispatch 1
              server s1 127.0.0.1:${s1}
              server s2 127.0.0.1:${s2}
            backend none
              retry-on none
              server d1 127.0.0.1:${dead}
            backend q
              timeout queue 300ms
              server s1 127.0.0.1:${s1} maxconn 1
            """;

    private static RawClient.Response get(BerthInstance berth, String path, String... headers) {
        try (RawClient c = new RawClient(berth.port("fe"))) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers) + "\r\n");
            return c.readResponse();
        }
    }

    private static HttpLogEntry log(BerthInstance berth, int n) {
        await().atMost(Duration.ofSeconds(5)).until(() -> berth.httpLog().size() >= n);
        return berth.httpLog().get(n - 1);
    }

    @Test
    void withoutRedispatchEveryRetryHitsTheSameServerThen503() {
        // HAProxy: nocheck_noredisp/s2 0/0/-1/-1/3005 503 217 - - SCNN 1/1/0/0/3 (pauses of 1 s there)
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            RawClient.Response r = get(berth, "/noredisp");
            assertThat(r.wire()).isEqualTo(P503);
            HttpLogEntry e = log(berth, 1);
            assertThat(e.serverName()).isEqualTo("d1");
            assertThat(e.terminationState()).isEqualTo("SC--");
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.redispatched()).isFalse();
            assertThat(e.tw()).isZero();
            assertThat(e.tc()).isEqualTo(-1);
            assertThat(e.ta()).isBetween(600L, 1500L);
            assertThat(backends.get("s2").requests()).isEmpty();
        }
    }

    @Test
    void nonPersistentRoundRobinRequestIsRedispatchedAtOnceWithoutPause() {
        // HAProxy: rrnp/s2 0/0/0/1/1 200 ... ---- 1/1/0/0/+1
        backends.get("s2").respond(Reply.ok("two"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            RawClient.Response r = get(berth, "/rr");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("two");
            HttpLogEntry e = log(berth, 1);
            assertThat(e.serverName()).isEqualTo("s2");
            assertThat(e.retries()).isEqualTo(1);
            assertThat(e.redispatched()).isTrue();
            assertThat(e.ta()).isLessThan(200L);
        }
    }

    @Test
    void persistentRequestToAStoppedPortIsRedispatchedAtTheLastRetry() {
        // HAProxy (§1.8, no checks): nocheck_redisp/s1 0/2002/0/2/2004 200 ... --DI 1/1/0/0/+3 (1 s pauses)
        backends.get("s2").respond(Reply.ok("two"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            RawClient.Response r = get(berth, "/ck", "Cookie: SRVID=c1\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("set-cookie")).isEqualTo("SRVID=c2; path=/");
            HttpLogEntry e = log(berth, 1);
            assertThat(e.serverName()).isEqualTo("s2");
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.redispatched()).isTrue();
            assertThat(e.terminationState()).isEqualTo("--DI");
            // two pauses on the same server, then the redispatch goes without one (rr, 2 active servers)
            assertThat(e.tw()).isBetween(400L, 700L);
            assertThat(e.tc()).isLessThan(100L);
        }
    }

    @Test
    void persistToADownServerIsRedispatchedAtTheFirstRetryAfterAPause() {
        // HAProxy (§1.8, checks): down_persist_redisp/s1 0/1000/0/1/1001 200 ... --DI ... +1
        backends.get("s2").respond(Reply.ok("two"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            berth.runtime().backend("ckpersist").servers().byName("d1").setHealthDown(true);
            RawClient.Response r = get(berth, "/persist", "Cookie: SRVID=c1\r\n");
            assertThat(r.status()).isEqualTo(200);
            HttpLogEntry e = log(berth, 1);
            assertThat(e.serverName()).isEqualTo("s2");
            assertThat(e.retries()).isEqualTo(1);
            assertThat(e.redispatched()).isTrue();
            assertThat(e.terminationState()).isEqualTo("--DI");
            // one active server left: the redispatch pauses min(1 s, 200 ms) first
            assertThat(e.tw()).isBetween(180L, 450L);
        }
    }

    @Test
    void retryOnStatusResendsTheRequestRetriesTimesThenRelaysTheLastAnswer() {
        // HAProxy: l7/s1 0/0/16/1/17 503 ... ---- 1/1/0/0/3, the server saw 4 requests
        backends.get("s1").respond(Reply.status(503).body("busy"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            RawClient.Response r = get(berth, "/l7");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).isEqualTo("busy");
            HttpLogEntry e = log(berth, 1);
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.redispatched()).isFalse();
            assertThat(e.terminationState()).isEqualTo("----");
            assertThat(backends.get("s1").requests()).hasSize(4);
        }
    }

    @Test
    void retryOnResendsAFullyReceivedPostBodyToo() {
        backends.get("s1").respond(Reply.status(503).body("busy"));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends);
             RawClient c = new RawClient(berth.port("fe"))) {
            c.send("POST /l7 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabc=1");
            assertThat(c.readResponse().status()).isEqualTo(503);
            assertThat(backends.get("s1").requests()).hasSize(4);
            assertThat(backends.get("s1").requests()).allSatisfy(q -> assertThat(q.bodyText()).isEqualTo("abc=1"));
        }
    }

    @Test
    void retryOnEmptyResponseEndsWith502AfterFourAttempts() {
        // HAProxy: l7/s1 0/0/9/-1/16 502 209 - - SH-- 1/1/0/0/3
        backends.get("s1").respond(Reply.raw(""));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            RawClient.Response r = get(berth, "/l7");
            assertThat(r.status()).isEqualTo(502);
            HttpLogEntry e = log(berth, 1);
            assertThat(e.terminationState()).isEqualTo("SH--");
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.tresp()).isEqualTo(-1);
            assertThat(backends.get("s1").requests()).hasSize(4);
        }
    }

    @Test
    void retryOnResponseTimeoutEndsWith504AfterFourTimeouts() {
        // HAProxy: l7/s1 0/0/3005/-1/4006 504 198 - - sH-- 1/1/0/0/3 (timeout server 1 s there)
        backends.get("s1").respond(Reply.never());
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            RawClient.Response r = get(berth, "/l7");
            assertThat(r.status()).isEqualTo(504);
            HttpLogEntry e = log(berth, 1);
            assertThat(e.terminationState()).isEqualTo("sH--");
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.tc()).isBetween(850L, 1200L);
            assertThat(e.ta()).isBetween(1150L, 1700L);
            assertThat(backends.get("s1").requests()).hasSize(4);
        }
    }

    @Test
    void retryOnWithRedispatchEveryRetryAlternatesServers() {
        // HAProxy: l7r/s2 0/8/0/1/9 503 ... 1/1/0/0/+3, s1 and s2 saw 2 requests each
        backends.get("s1").respond(Reply.status(503));
        backends.get("s2").respond(Reply.status(503));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(get(berth, "/l7r").status()).isEqualTo(503);
            HttpLogEntry e = log(berth, 1);
            assertThat(e.retries()).isEqualTo(3);
            assertThat(e.redispatched()).isTrue();
            assertThat(e.serverName()).isEqualTo("s2");
            assertThat(backends.get("s1").requests()).hasSize(2);
            assertThat(backends.get("s2").requests()).hasSize(2);
        }
    }

    @Test
    void retryOnNoneDoesNotEvenRetryAFailedConnect() {
        // HAProxy: none/s1 0/0/-1/-1/0 503 217 - - SC-- 1/1/0/0/0
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            assertThat(get(berth, "/none").wire()).isEqualTo(P503);
            HttpLogEntry e = log(berth, 1);
            assertThat(e.retries()).isZero();
            assertThat(e.terminationState()).isEqualTo("SC--");
            assertThat(e.ta()).isLessThan(150L);
        }
    }

    @Test
    void queueTimeoutGives503WithSQAndBackendQueuePosition() {
        // HAProxy e14: q q/<NOSRV> 0/502/-1/-1/502 503 217 - - sQ-- 2/2/1/0/0 0/1 (timeout queue 500 there)
        backends.get("s1").respond(Reply.ok("slow").delayed(1200));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            CompletableFuture<RawClient.Response> first = CompletableFuture.supplyAsync(() -> get(berth, "/q/a"));
            await().atMost(Duration.ofSeconds(3)).until(() -> backends.get("s1").requests().size() == 1);
            RawClient.Response second = get(berth, "/q/b");
            assertThat(second.wire()).isEqualTo(P503);
            HttpLogEntry e = log(berth, 1);
            assertThat(e.requestLine()).isEqualTo("GET /q/b HTTP/1.1");
            assertThat(e.serverName()).isEqualTo("<NOSRV>");
            assertThat(e.terminationState()).isEqualTo("sQ--");
            assertThat(e.tw()).isBetween(280L, 500L);
            assertThat(e.tc()).isEqualTo(-1);
            assertThat(e.srvQueue()).isZero();
            assertThat(e.backendQueue()).isEqualTo(1);
            assertThat(first.join().bodyText()).isEqualTo("slow");
            assertThat(backends.get("s1").requests()).hasSize(1);
        }
    }

    @Test
    void queuedRequestIsServedWhenTheSlotFrees() {
        backends.get("s1").respond(Reply.ok("ok").delayed(150));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends)) {
            CompletableFuture<RawClient.Response> first = CompletableFuture.supplyAsync(() -> get(berth, "/q/a"));
            await().atMost(Duration.ofSeconds(3)).until(() -> backends.get("s1").requests().size() == 1);
            RawClient.Response second = get(berth, "/q/b");
            assertThat(second.status()).isEqualTo(200);
            assertThat(first.join().status()).isEqualTo(200);
            HttpLogEntry a = berth.httpLog().stream().filter(x -> x.requestLine().contains("/q/a")).findFirst()
                    .orElseThrow();
            await().atMost(Duration.ofSeconds(3)).until(() -> berth.httpLog().size() == 2);
            HttpLogEntry b = berth.httpLog().stream().filter(x -> x.requestLine().contains("/q/b")).findFirst()
                    .orElseThrow();
            assertThat(a.backendQueue()).isZero();
            assertThat(b.serverName()).isEqualTo("s1");
            assertThat(b.backendQueue()).isEqualTo(1);
            assertThat(b.tw()).isBetween(50L, 300L);
            assertThat(berth.runtime().backend("q").servers().byName("s1").currentConns.get()).isZero();
        }
    }
}
