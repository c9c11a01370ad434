package io.berth.log;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Framing against the bytes HAProxy 2.6.12 sent to UDP listeners and stdout (pid 5882 in that run). */
class SyslogFormatTest {
    private static final ZonedDateTime T = ZonedDateTime.of(2026, 11, 25, 17, 13, 57, 787_551_000, ZoneOffset.UTC);

    @Test
    void rfc3164() {
        assertThat(SyslogFormat.frame("rfc3164", 16, 6, "haproxy", 5882, "msg", T))
                .isEqualTo("<134>Nov 25 17:13:57 haproxy[5882]: msg\n");
        assertThat(SyslogFormat.frame(null, 16, 1, "haproxy", 6104, "Server be/s1 is DOWN", T.withDayOfMonth(5)))
                .isEqualTo("<129>Nov  5 17:13:57 haproxy[6104]: Server be/s1 is DOWN\n");
    }

    @Test
    void rfc5424ShortRaw() {
        assertThat(SyslogFormat.frame("rfc5424", 16, 6, "haproxy", 5882, "msg", T))
                .isEqualTo("<134>1 2026-11-25T17:13:57.787551+00:00 - haproxy 5882 - - msg\n");
        assertThat(SyslogFormat.frame("rfc5424", 17, 6, "haproxy", 6104, "m", T))
                .isEqualTo("<142>1 2026-11-25T17:13:57.787551+00:00 - haproxy 6104 - - m\n");
        assertThat(SyslogFormat.frame("short", 16, 6, "haproxy", 1, "msg", T)).isEqualTo("<6>msg\n");
        assertThat(SyslogFormat.frame("raw", 16, 6, "haproxy", 1, "msg", T)).isEqualTo("msg\n");
    }

    @Test
    void names() {
        assertThat(SyslogFormat.facility("local0")).isEqualTo(16);
        assertThat(SyslogFormat.facility("kern")).isZero();
        assertThat(SyslogFormat.facility("nope")).isEqualTo(-1);
        assertThat(SyslogFormat.level("emerg")).isZero();
        assertThat(SyslogFormat.level("notice")).isEqualTo(5);
        assertThat(SyslogFormat.level("debug")).isEqualTo(7);
    }
}
