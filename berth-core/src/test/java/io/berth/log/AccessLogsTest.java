package io.berth.log;

import io.berth.model.LogTargetSpec;
import io.berth.model.Location;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sinks: a UDP datagram received on 127.0.0.1, level filtering, the bounded stdout queue. */
class AccessLogsTest {
    private static final HttpLogEntry ENTRY = new HttpLogEntry("127.0.0.1", 36752, 1_795_000_000_000L, "fe", "be",
            "s1", 0, 0, 0, 4, 4, 404, 500, null, null, "----", 1, 1, 0, 0, 0, false, 0, 0, "GET /x?q=1 HTTP/1.1");

    private static LogTargetSpec udp(int port, String format, String facility, String level) {
        return new LogTargetSpec(Location.NONE, LogTargetSpec.Kind.UDP, "127.0.0.1", port, format, facility, level);
    }

    private static String receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void udpSyslogDatagramIsRfc3164() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            AccessLog log = AccessLogs.forProxy("fe", List.of(udp(s.getLocalPort(), null, "local0", "info")));
            log.http(ENTRY);
            String got = receive(s);
            long pid = ProcessHandle.current().pid();
            assertThat(got).matches("<134>[A-Z][a-z]{2} [ 123]\\d \\d\\d:\\d\\d:\\d\\d haproxy\\[" + pid + "\\]: .*\n");
            assertThat(got).endsWith(": " + HttpLogFormat.format(ENTRY) + "\n");
        }
    }

    @Test
    void levelFilteringPerTarget() throws Exception {
        try (DatagramSocket notice = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket debug = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            notice.setSoTimeout(300);
            debug.setSoTimeout(5000);
            AccessLog log = AccessLogs.forProxy("be", List.of(udp(notice.getLocalPort(), "raw", "local0", "notice"),
                    udp(debug.getLocalPort(), "short", "local1", "debug")));
            log.http(ENTRY);                                   // info: only the debug target
            log.event("alert", "Server be/s1 is DOWN");        // alert: both
            log.event("debug", "noise");                       // debug: only the debug target
            assertThat(receive(debug)).isEqualTo("<6>" + HttpLogFormat.format(ENTRY) + "\n");
            assertThat(receive(debug)).isEqualTo("<1>Server be/s1 is DOWN\n");
            assertThat(receive(debug)).isEqualTo("<7>noise\n");
            assertThat(receive(notice)).isEqualTo("Server be/s1 is DOWN\n");
            List<String> more = new ArrayList<>();
            try {
                more.add(receive(notice));
            } catch (SocketTimeoutException expected) {
                // nothing else was sent to the notice target
            }
            assertThat(more).isEmpty();
        }
    }

    @Test
    void streamSinkWritesInOrderAndDropsWhenFull() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamSink sink = new StreamSink("test-log", out, 4);
        ProxyLog log = new ProxyLog(List.of(new ProxyLog.Target(sink, "raw", 16, 6)), "haproxy", 1, ZoneOffset.UTC);
        log.event("info", "one");
        log.event("notice", "two");
        await().atMost(Duration.ofSeconds(5)).until(() -> out.toString(StandardCharsets.UTF_8).equals("one\ntwo\n"));
        assertThat(sink.dropped()).isZero();

        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream blocked = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    Thread.sleep(60_000);   // a stuck terminal: the writer thread never comes back
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        StreamSink stuck = new StreamSink("test-stuck", blocked, 2);
        stuck.send("first\n");
        // the writer takes whatever is queued in one batch: wait until it is stuck writing the first line
        await().atMost(Duration.ofSeconds(5)).until(() -> writing.getCount() == 0);
        for (int i = 0; i < 10; i++) {
            stuck.send("line " + i + "\n");
        }
        // the queue holds two: the other eight are dropped, and none blocked us
        assertThat(stuck.dropped()).isEqualTo(8L);
    }

    @Test
    void noTargetsGivesNone() {
        assertThat(AccessLogs.forProxy("fe", List.of())).isSameAs(AccessLog.NONE);
        assertThat(AccessLogs.forProxy("fe", List.of(new LogTargetSpec(Location.NONE, LogTargetSpec.Kind.GLOBAL, null,
                0, null, null, null)))).isSameAs(AccessLog.NONE);
    }
}
