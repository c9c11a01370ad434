package io.berth.proxy;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickTable;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBuilder;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The periodic expiry task: expired entries leave the table without any request touching it. */
class StickStepTest {
    @Test
    void expiryTaskEmptiesATableWhoseEntriesExpired() throws Exception {
        Runtime rt = RuntimeBuilder.build(ConfigLoader.parse(Subsystems.keywords(), "t.cfg", """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                backend be
                    stick-table type integer size 20k expire 200ms
                    stick on url_param(u)
                    server s1 127.0.0.1:8080
                """).config(), null);
        StickTable t = rt.stickTables().table("be");
        int now = StickClock.now();
        for (int k = 0; k < 5000; k++) {
            t.storeServer(k, now, 1, 0);
        }
        assertThat(t.used()).isEqualTo(5000);
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            ScheduledFuture<?> task = StickStep.startExpiry(loop, () -> rt);
            // 5000 entries in 2 segments need more than one 2048-entry slice: the task queues the next ones
            await().atMost(Duration.ofSeconds(3)).until(() -> t.used() == 0);
            assertThat(StickClock.now() - now).isGreaterThanOrEqualTo(200);
            task.cancel(false);
        } finally {
            loop.shutdownGracefully().sync();
        }
    }
}
