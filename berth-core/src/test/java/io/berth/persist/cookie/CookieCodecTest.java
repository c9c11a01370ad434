package io.berth.persist.cookie;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Date encoding (§1.5), XXH64 and dynamic cookies (§1.6) against golden values. */
class CookieCodecTest {
    @Test
    void datesUseHaproxysFourSecondBase64() {
        assertThat(CookieDate.quantize(1795548388L)).isEqualTo(448887097);
        assertThat(CookieDate.encode(448887097)).isEqualTo("awXk5");
        assertThat(CookieDate.decode("awXk5")).isEqualTo(448887097);
        assertThat(CookieDate.encode(0)).isEqualTo("AAAAA");
        assertThat(CookieDate.encode((1 << 30) - 1)).isEqualTo("/////");
        assertThat(CookieDate.decode("awX=5")).isEqualTo(-1);
        assertThat(CookieDate.decode("awX|5")).isEqualTo(-1);
        assertThat(CookieDate.decode("awXé5")).isEqualTo(-1);
    }

    @Test
    void xxh64MatchesReferenceVectors() {
        assertThat(hex("")).isEqualTo("ef46db3751d8e999");
        assertThat(hex("a")).isEqualTo("d24ec4f1a98c6e5b");
        assertThat(hex("abc")).isEqualTo("44bc2cf5ad770999");
    }

    @Test
    void dynamicCookieMatchesHaproxy() {
        assertThat(DynamicCookie.of("MySecret", new InetSocketAddress("127.0.0.1", 19101)))
                .isEqualTo("57e74c357a08802c");
        assertThat(DynamicCookie.of("MySecret", InetSocketAddress.createUnresolved("x.invalid", 80))).isNull();
    }

    private static String hex(String s) {
        return String.format("%016x", Xxh64.hash(s.getBytes(StandardCharsets.US_ASCII), 0));
    }
}
