package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.CookieSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.berth.persist.cookie.CookieFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headers are parsed in a per-thread buffer ({@link Scratch}) reused across requests: what a longer earlier
 * header left in it must never leak into a shorter later one, an unchanged header comes back as the very same
 * String (no copy), and headers past the kept size still work.
 */
class CookieScratchTest {
    private final BackendSpec backend = CookieFixtures.backend(
            CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect"), false, null);
    private final CookiePersistence cp = CookiePersistence.create(backend, CookieFixtures.group(backend));

    private List<String> run(String cookie) {
        CookieFixtures.Headers h = new CookieFixtures.Headers();
        h.add("cookie", cookie);
        cp.onRequest(h, new CookieState(), NOW);
        return h.all("cookie");
    }

    @Test
    void aLongerEarlierHeaderLeavesNothingBehind() {
        String longOne = "a=" + "x".repeat(3000) + "; SRVID=c1; b=" + "y".repeat(3000);
        assertThat(run(longOne)).containsExactly("a=" + "x".repeat(3000) + "; b=" + "y".repeat(3000));
        assertThat(run("k=1; SRVID=c2")).containsExactly("k=1");
        assertThat(run("SRVID=c2")).isEmpty();
        assertThat(run("q = 2")).containsExactly("q=2");
    }

    @Test
    void anUnchangedHeaderIsTheSameString() {
        String value = "a=1; b=2; theme=dark";
        CookieFixtures.Headers h = new CookieFixtures.Headers();
        h.add("cookie", value);
        cp.onRequest(h, new CookieState(), NOW);
        assertThat(h.all("cookie").get(0)).isSameAs(value);
    }

    @Test
    void headersLongerThanTheKeptBufferStillWork() {
        String big = "a=" + "z".repeat(Scratch.KEPT + 100) + "; SRVID=c2; b=3";
        CookieState st = new CookieState();
        CookieFixtures.Headers h = new CookieFixtures.Headers();
        h.add("cookie", big);
        cp.onRequest(h, st, NOW);
        assertThat(st.requestLetter()).isEqualTo('V');
        assertThat(st.target().name()).isEqualTo("s2");
        assertThat(h.all("cookie")).containsExactly("a=" + "z".repeat(Scratch.KEPT + 100) + "; b=3");
        assertThat(run("SRVID=c1; c=4")).containsExactly("c=4");
    }
}
