package io.berth.proxy;

import io.berth.testkit.BerthInstance;
import io.berth.testkit.Backends;
import io.berth.testkit.RawClient;
import io.berth.testkit.Recorded;
import io.berth.testkit.Reply;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1 GiB up and 1 GiB down through Berth with bounded memory: while the bytes flow, the direct memory Netty's pooled
 * allocator holds (Berth and the test backends share it in this JVM) must stay far below the transfer size, which
 * only holds when reading stops while the other side cannot take more.
 */
class HttpStreamingIT {
    @RegisterExtension
    static Backends backends = Backends.start(1);

    private static final long GIB = 1L << 30;
    private static final long LIMIT = 96L << 20;

    private static final String CONFIG = """
            defaults
              mode http
              timeout connect 1s
              timeout client 60s
              timeout server 60s
            frontend fe
              bind 127.0.0.1:${fe}
              default_backend be
            backend be
              server s1 127.0.0.1:${s1}
            """;

    /** Samples the pooled direct memory in use until stopped; returns the peak. */
    private static final class MemoryProbe implements AutoCloseable {
        final AtomicLong peak = new AtomicLong();
        final AtomicBoolean run = new AtomicBoolean(true);
        final Thread t = new Thread(() -> {
            while (run.get()) {
                long used = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()
                        + PooledByteBufAllocator.DEFAULT.metric().usedHeapMemory();
                peak.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        MemoryProbe() {
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            run.set(false);
        }
    }

    @Test
    void oneGibUploadStreamsWithBoundedMemory() throws IOException {
        backends.get("s1").respond(r -> Reply.ok("got " + r.bodyLength()));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends);
             MemoryProbe probe = new MemoryProbe();
             Socket s = new Socket("127.0.0.1", berth.port("fe"))) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + GIB + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] block = new byte[256 * 1024];
            for (long sent = 0; sent < GIB; sent += block.length) {
                out.write(block);
            }
            out.flush();
            RawClient.Response r = readResponse(s.getInputStream());
            assertThat(r.bodyText()).isEqualTo("got " + GIB);
            Recorded got = backends.get("s1").last();
            assertThat(got.bodyLength()).isEqualTo(GIB);
            assertThat(probe.peak.get()).isLessThan(LIMIT);
        }
    }

    @Test
    void oneGibDownloadStreamsWithBoundedMemory() throws IOException {
        backends.get("s1").respond(Reply.status(200).generated(GIB));
        try (BerthInstance berth = BerthInstance.start(CONFIG, backends);
             MemoryProbe probe = new MemoryProbe();
             Socket s = new Socket("127.0.0.1", berth.port("fe"))) {
            s.getOutputStream().write("GET /down HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).contains("content-length: " + GIB);
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            boolean patternOk = true;
            while (total < GIB) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, GIB - total));
                if (n < 0) {
                    break;
                }
                if (total == 0 || (total & 0xFFFFFFF) < n) {
                    for (int i = 0; i < Math.min(n, 100); i++) {
                        patternOk &= buf[i] == Reply.patternByte(total + i);
                    }
                }
                total += n;
            }
            assertThat(total).isEqualTo(GIB);
            assertThat(patternOk).isTrue();
            assertThat(probe.peak.get()).isLessThan(LIMIT);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static RawClient.Response readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int cl = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
        byte[] body = in.readNBytes(cl);
        return new RawClient.Response(head, Integer.parseInt(head.substring(9, 12)), java.util.List.of(), body);
    }
}
