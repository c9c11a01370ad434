package io.berth.persist.stick;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** HAProxy 2.6's freq_ctr arithmetic (update_freq_ctr_period / freq_ctr_total), worked by hand. */
class FreqCtrTest {
    @Test
    void slidingWindowAsHaproxyComputesIt() {
        int[] d = new int[3];
        int period = 10_000;
        assertThat(FreqCtr.update(d, 0, period, 1, 100_000)).isEqualTo(1);
        assertThat(d).containsExactly(100_000, 1, 0);
        FreqCtr.update(d, 0, period, 1, 100_500);
        FreqCtr.update(d, 0, period, 1, 100_500);
        assertThat(FreqCtr.read(d, 0, period, 105_000)).isEqualTo(3);
        // 2 s into the next period: 3 events * 8000/10000 of the window = 2.4 -> 2
        assertThat(FreqCtr.read(d, 0, period, 112_000)).isEqualTo(2);
        assertThat(FreqCtr.read(d, 0, period, 121_000)).isZero();
    }

    @Test
    void rotationKeepsThePreviousPeriodAndClearsTheLockBit() {
        int[] d = new int[3];
        FreqCtr.update(d, 0, 1000, 5, 10_001);           // odd now: tick stored even (lock bit cleared)
        assertThat(d[0]).isEqualTo(10_000);
        FreqCtr.update(d, 0, 1000, 2, 11_100);           // one period later: rotate
        assertThat(d).containsExactly(11_000, 2, 5);
        // remain = 11000+1000-11500 = 500: 5*500 + 2*1000 = 4500 -> 4
        assertThat(FreqCtr.read(d, 0, 1000, 11_500)).isEqualTo(4);
        FreqCtr.update(d, 0, 1000, 1, 14_000);           // two periods missed: previous forgotten
        assertThat(d).containsExactly(14_000, 1, 0);
    }

    @Test
    void lowRateFlappingCorrection() {
        int[] d = new int[3];
        FreqCtr.update(d, 0, 1000, 1, 50_000);
        // one event in the previous period, none now: HAProxy reports 1 for the whole next period
        assertThat(FreqCtr.read(d, 0, 1000, 50_999)).isEqualTo(1);
        assertThat(FreqCtr.read(d, 0, 1000, 51_900)).isEqualTo(1);
        assertThat(FreqCtr.read(d, 0, 1000, 52_001)).isZero();
    }
}
