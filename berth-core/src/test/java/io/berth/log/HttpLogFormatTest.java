package io.berth.log;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * httplog and tcplog lines against lines HAProxy 2.6.12 wrote for the same facts
 * ({@code log stdout format raw local0 info}, {@code option httplog} / {@code option tcplog}).
 */
class HttpLogFormatTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static long millis(int y, int mo, int d, int h, int mi, int s, int ms) {
        return LocalDateTime.of(y, mo, d, h, mi, s, ms * 1_000_000).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    @Test
    void httpLineAsHaproxyWroteIt() {
        HttpLogEntry e = new HttpLogEntry("127.0.0.1", 36752, millis(2026, 11, 25, 17, 13, 57, 781), "fe", "be", "s1",
                0, 0, 0, 4, 4, 404, 500, null, null, "----", 1, 1, 0, 0, 0, false, 0, 0, "GET /x?q=1 HTTP/1.1");
        assertThat(HttpLogFormat.format(e, UTC)).isEqualTo(
                "127.0.0.1:36752 [25/Nov/2026:17:13:57.781] fe be/s1 0/0/0/4/4 404 500 - - ---- 1/1/0/0/0 0/0 \"GET /x?q=1 HTTP/1.1\"");
    }

    @Test
    void noServerLineWithNegativeTimers() {
        HttpLogEntry e = new HttpLogEntry("127.0.0.1", 52110, millis(2026, 11, 25, 17, 14, 9, 399), "fe", "be",
                "<NOSRV>", 0, -1, -1, -1, 0, 503, 217, null, null, "SC--", 1, 1, 0, 0, 0, false, 0, 0,
                "GET /x?q=1 HTTP/1.1");
        assertThat(HttpLogFormat.format(e, UTC)).isEqualTo("127.0.0.1:52110 [25/Nov/2026:17:14:09.399] fe be/<NOSRV>"
                + " 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 \"GET /x?q=1 HTTP/1.1\"");
    }

    @Test
    void capturedCookieAndRedispatchRetries() {
        // reference §9: "nocheck_redisp/s1 0/2002/0/2/2004 200 246 - - --DI 1/1/0/0/+3 0/0"
        HttpLogEntry e = new HttpLogEntry("10.0.0.7", 1234, millis(2026, 1, 5, 3, 4, 5, 6), "fe", "nocheck_redisp", "s1",
                0, 2002, 0, 2, 2004, 200, 246, "SRVID=c2", null, "--DI", 1, 1, 0, 0, 3, true, 0, 0, "GET / HTTP/1.1");
        assertThat(HttpLogFormat.format(e, UTC)).isEqualTo("10.0.0.7:1234 [05/Jan/2026:03:04:05.006] fe"
                + " nocheck_redisp/s1 0/2002/0/2/2004 200 246 SRVID=c2 - --DI 1/1/0/0/+3 0/0 \"GET / HTTP/1.1\"");
    }

    @Test
    void dateIsLocalTime() {
        HttpLogEntry e = new HttpLogEntry("127.0.0.1", 1, millis(2026, 11, 24, 23, 30, 0, 0), "fe", "be", "s1",
                0, 0, 0, 0, 0, 200, 1, null, null, "----", 1, 1, 1, 1, 0, false, 0, 0, "GET / HTTP/1.1");
        assertThat(HttpLogFormat.format(e, ZoneId.of("Europe/Paris"))).startsWith("127.0.0.1:1 [25/Nov/2026:00:30:00.000]");
    }

    @Test
    void tcpLineAsHaproxyWroteIt() {
        TcpLogEntry e = new TcpLogEntry("127.0.0.1", 48564, millis(2026, 11, 25, 17, 13, 57, 793), "tl", "tl", "s1",
                1, 0, 2, 873, "--", 1, 1, 0, 0, 0, false, 0, 0);
        assertThat(TcpLogFormat.format(e, UTC))
                .isEqualTo("127.0.0.1:48564 [25/Nov/2026:17:13:57.793] tl tl/s1 1/0/2 873 -- 1/1/0/0/0 0/0");
        TcpLogEntry redisp = new TcpLogEntry("127.0.0.1", 1, millis(2026, 11, 25, 17, 13, 57, 793), "tl", "tl", "s2",
                1003, 0, 1010, 0, "SC--", 2, 2, 1, 0, 1, true, 0, 3);
        assertThat(TcpLogFormat.format(redisp, UTC))
                .isEqualTo("127.0.0.1:1 [25/Nov/2026:17:13:57.793] tl tl/s2 1003/0/1010 0 SC 2/2/1/0/+1 0/3");
    }
}
