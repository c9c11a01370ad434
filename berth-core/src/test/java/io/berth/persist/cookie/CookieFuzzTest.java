package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.CookieSpec;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random Cookie headers: the request step never throws, never grows the header, and never designates a
 * server whose cookie value is not literally in the header as {@code SRVID=<value>}.
 */
class CookieFuzzTest {
    private static final String ALPHABET = "SRVIDc12~|=;, \t\"\\$abAZ+/";

    @Test
    void randomHeadersNeverCrashNorNameAnAbsentServer() {
        Random rnd = new Random(20261124L);
        for (CookieSpec.Mode mode : CookieSpec.Mode.values()) {
            CookieSpec spec = CookieFixtures.spec(mode, mode == CookieSpec.Mode.REWRITE ? "nocache" : "indirect",
                    "maxidle=1800", "maxlife=28800");
            BackendSpec b = CookieFixtures.backend(spec, false, null);
            CookiePersistence cp = CookiePersistence.create(b, CookieFixtures.group(b));
            for (int i = 0; i < 20_000; i++) {
                StringBuilder sb = new StringBuilder();
                int len = rnd.nextInt(40);
                for (int j = 0; j < len; j++) {
                    sb.append(rnd.nextInt(4) == 0 ? "SRVID=c1" : String.valueOf(ALPHABET.charAt(rnd.nextInt(
                            ALPHABET.length()))));
                }
                String header = sb.toString();
                CookieState st = new CookieState();
                CookieFixtures.Headers h = new CookieFixtures.Headers().with("cookie", header);
                cp.onRequest(h, st, CookieFixtures.NOW);
                for (String out : h.all("cookie")) {
                    assertThat(out.length()).as(header).isLessThanOrEqualTo(header.length());
                }
                if (st.target() != null) {
                    String value = cp.cookieOf(st.target());
                    assertThat(header.replace(" ", "").replace("\t", "")).as(header).contains("SRVID=" + value);
                    // as in HAProxy, a later expired duplicate of the cookie relabels (E/O) but keeps the server
                    assertThat(st.requestLetter()).isIn('V', 'D', 'E', 'O');
                } else {
                    assertThat(st.requestLetter()).as(header).isIn('N', 'I', 'D', 'E', 'O');
                }
            }
        }
    }
}
