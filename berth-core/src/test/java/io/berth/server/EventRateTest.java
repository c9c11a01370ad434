package io.berth.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HAProxy's one-second freq_ctr: the current second plus the previous one weighted by what is left. */
class EventRateTest {
    @Test
    void currentSecondPlusWeightedPreviousSecondAndTheMaximum() {
        EventRate r = new EventRate();
        for (int i = 0; i < 6; i++) {
            r.add(41_100 + i);
        }
        r.add(42_010);
        r.add(42_020);
        assertThat(r.read(42_250)).isEqualTo(2 + 6 * 750 / 1000);
        assertThat(r.read(42_999)).isEqualTo(2);
        assertThat(r.max()).isEqualTo(6);
        // a silent second in between: the previous second no longer counts
        assertThat(r.read(44_500)).isEqualTo(0);
        r.add(44_600);
        assertThat(r.read(44_600)).isEqualTo(1);
        assertThat(r.max()).isEqualTo(6);
    }

    @Test
    void timersKeepMaximaAndTheAverageOfTheSamples() {
        TrafficCounters c = new TrafficCounters();
        c.timer(TrafficCounters.Timer.CONNECT, 4);
        c.timer(TrafficCounters.Timer.CONNECT, 8);
        c.timer(TrafficCounters.Timer.CONNECT, -1);
        assertThat(c.timerMax(TrafficCounters.Timer.CONNECT)).isEqualTo(8);
        assertThat(c.timerAverage(TrafficCounters.Timer.CONNECT, 2)).isEqualTo(6);
        c.response(204);
        c.response(503);
        c.response(99);
        c.response(600);
        assertThat(c.responses(2)).isEqualTo(1);
        assertThat(c.responses(5)).isEqualTo(1);
        assertThat(c.responses(0)).isEqualTo(2);
        assertThat(c.secondsSinceLastSession(1000)).isEqualTo(-1);
        c.session(10_000);
        assertThat(c.secondsSinceLastSession(12_500)).isEqualTo(2);
    }
}
