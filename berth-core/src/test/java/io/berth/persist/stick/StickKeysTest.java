package io.berth.persist.stick;

import io.berth.model.StickTableSpec.KeyType;
import io.berth.sample.Sample;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Sample → key conversions as HAProxy's smp_to_stkey, printed as show table prints them (reference §2). */
class StickKeysTest {
    private static String roundTrip(Sample s, KeyType type, int keySize) {
        int[] k = StickKeys.encode(s, type, keySize);
        return k == null ? null : StickKeys.format(k, type, keySize);
    }

    @Test
    void ipConversions() throws Exception {
        Sample v4 = Sample.ofIp(InetAddress.getByName("127.0.0.3"));
        assertThat(roundTrip(v4, KeyType.IP, 4)).isEqualTo("127.0.0.3");
        assertThat(roundTrip(v4, KeyType.IPV6, 16)).isEqualTo("::ffff:127.0.0.3");
        assertThat(roundTrip(Sample.ofIp(InetAddress.getByName("2001:db8::5")), KeyType.IPV6, 16))
                .isEqualTo("2001:db8::5");
        assertThat(roundTrip(Sample.ofIp(InetAddress.getByName("2001:db8::5")), KeyType.IP, 4)).isNull();
        assertThat(roundTrip(Sample.ofString("::ffff:10.1.2.3"), KeyType.IP, 4)).isEqualTo("10.1.2.3");
        assertThat(roundTrip(Sample.ofString("not an ip"), KeyType.IP, 4)).isNull();
        assertThat(roundTrip(Sample.ofInt(167772161), KeyType.IP, 4)).isEqualTo("10.0.0.1");
        assertThat(roundTrip(v4, KeyType.INTEGER, 4)).isEqualTo("2130706435");
    }

    @Test
    void integerKeysAreU32() {
        assertThat(roundTrip(Sample.ofString("1234567"), KeyType.INTEGER, 4)).isEqualTo("1234567");
        assertThat(roundTrip(Sample.ofString("42abc"), KeyType.INTEGER, 4)).isEqualTo("42");
        assertThat(roundTrip(Sample.ofInt(-1), KeyType.INTEGER, 4)).isEqualTo("4294967295");
        assertThat(roundTrip(Sample.ofInt(4294967296L + 7), KeyType.INTEGER, 4)).isEqualTo("7");
        assertThat(roundTrip(Sample.ofString("abc"), KeyType.INTEGER, 4)).isNull();
    }

    @Test
    void stringsAreTruncatedToLenOnStoreAndLookup() {
        // len 8 => key size 9: 8 characters kept, so long values sharing a prefix collide
        int[] a = StickKeys.encode(Sample.ofString("abcdefghij"), KeyType.STRING, 9);
        int[] b = StickKeys.encode(Sample.ofString("abcdefghXY"), KeyType.STRING, 9);
        assertThat(a).containsExactly(b);
        assertThat(StickKeys.format(a, KeyType.STRING, 9)).isEqualTo("abcdefgh");
        // default: 32 bytes incl. NUL = 31 characters
        String s40 = "x".repeat(40);
        assertThat(roundTrip(Sample.ofString(s40), KeyType.STRING, 32)).isEqualTo("x".repeat(31));
        assertThat(roundTrip(Sample.ofString("alice"), KeyType.STRING, 32)).isEqualTo("alice");
    }

    @Test
    void binaryKeysAreZeroPaddedHex() {
        assertThat(roundTrip(Sample.ofString("ab"), KeyType.BINARY, 8)).isEqualTo("6162000000000000");
        assertThat(roundTrip(Sample.ofString("abcdefghij"), KeyType.BINARY, 8)).isEqualTo("6162636465666768");
    }
}
