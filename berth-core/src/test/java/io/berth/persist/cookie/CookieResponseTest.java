package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.CookieSpec;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.berth.persist.cookie.CookieFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** The response step (§1.3, §1.4, §1.7): exact Set-Cookie / Cache-Control bytes and log letters. */
class CookieResponseTest {
    private ServerGroup group;

    private CookiePersistence cp(CookieSpec spec) {
        BackendSpec b = CookieFixtures.backend(spec, false, null);
        group = CookieFixtures.group(b);
        return CookiePersistence.create(b, group);
    }

    /** Request with {@code cookie} (or none), response from the cookie's server or {@code server}. */
    private String exchange(CookiePersistence cp, String method, String cookie, String server, int status,
                            String... responseHeaders) {
        CookieState st = new CookieState();
        CookieFixtures.Headers req = new CookieFixtures.Headers();
        if (cookie != null) {
            req.add("cookie", cookie);
        }
        cp.onRequest(req, st, NOW);
        CookieFixtures.Headers res = new CookieFixtures.Headers();
        for (int i = 0; i < responseHeaders.length; i += 2) {
            res.add(responseHeaders[i], responseHeaders[i + 1]);
        }
        cp.onResponse(res, method, status, st.target() != null ? st.target() : group.byName(server), st, NOW);
        return cp.letters(st) + " " + res.map;
    }

    @Test
    void insertWritesHaproxysExactBytes() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect", "nocache", "httponly",
                "secure"));
        assertThat(exchange(cp, "GET", null, "s1", 200))
                .isEqualTo("NI {set-cookie=[SRVID=c1; path=/; HttpOnly; Secure]}");
        assertThat(exchange(cp, "GET", null, "s3", 200))
                .isEqualTo("NI {set-cookie=[SRVID=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/; HttpOnly; Secure]}");
        assertThat(exchange(cp, "GET", "SRVID=c1", "s1", 200)).isEqualTo("VN {}");
        assertThat(exchange(cp, "GET", "SRVID=zz", "s2", 200))
                .isEqualTo("II {set-cookie=[SRVID=c2; path=/; HttpOnly; Secure]}");
        assertThat(exchange(cp, "GET", "SRVID=c1", "s1", 200, "set-cookie", "SRVID=xyz; Path=/"))
                .isEqualTo("VD {}");
        assertThat(exchange(cp, "GET", "SRVID=c1", "s1", 100)).isEqualTo("VN {}");
    }

    @Test
    void domainsAndAttributesFollowInOrder() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "domain=.example.com",
                "domain=.example.org", "attr=SameSite=Strict", "attr=Max-Age=3600"));
        assertThat(exchange(cp, "GET", null, "s1", 200)).isEqualTo("NI {set-cookie=[SRVID=c1; path=/;"
                + " domain=.example.com; domain=.example.org; SameSite=Strict; Max-Age=3600]}");
    }

    @Test
    void nocacheAddsPrivateOnlyToCacheableResponses() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "nocache"));
        assertThat(exchange(cp, "GET", null, "s1", 200, "cache-control", "max-age=60"))
                .isEqualTo("NI {cache-control=[max-age=60, private], set-cookie=[SRVID=c1; path=/]}");
        assertThat(exchange(cp, "GET", null, "s1", 200)).isEqualTo("NI {set-cookie=[SRVID=c1; path=/]}");
        assertThat(exchange(cp, "GET", null, "s1", 200, "cache-control", "public"))
                .isEqualTo("NI {cache-control=[public], set-cookie=[SRVID=c1; path=/]}");
        assertThat(exchange(cp, "POST", null, "s1", 200, "cache-control", "max-age=60"))
                .isEqualTo("NI {cache-control=[max-age=60], set-cookie=[SRVID=c1; path=/]}");
        assertThat(exchange(cp, "GET", null, "s1", 200, "etag", "\"x\""))
                .isEqualTo("NI {etag=[\"x\"], set-cookie=[SRVID=c1; path=/], cache-control=[private]}");
        assertThat(exchange(cp, "GET", null, "s1", 200, "cache-control", "public, max-age=0", "expires", "x"))
                .isEqualTo("NI {cache-control=[public, max-age=0], expires=[x], set-cookie=[SRVID=c1; path=/]}");
        assertThat(exchange(cp, "GET", null, "s1", 302, "cache-control", "max-age=60"))
                .isEqualTo("NI {cache-control=[max-age=60], set-cookie=[SRVID=c1; path=/]}");
    }

    @Test
    void postonlyPreserveAndIgnorePersist() {
        CookiePersistence post = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "postonly", "indirect"));
        assertThat(exchange(post, "GET", null, "s1", 200)).isEqualTo("NN {}");
        assertThat(exchange(post, "POST", null, "s1", 200)).isEqualTo("NI {set-cookie=[SRVID=c1; path=/]}");
        CookiePersistence keep = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect", "preserve"));
        assertThat(exchange(keep, "GET", "SRVID=c1", "s1", 200, "set-cookie", "SRVID=app; Max-Age=0"))
                .isEqualTo("VP {set-cookie=[SRVID=app; Max-Age=0]}");
        assertThat(exchange(keep, "GET", null, "s2", 200, "set-cookie", "SRVID=app"))
                .isEqualTo("NP {set-cookie=[SRVID=app]}");

        CookieState st = new CookieState();
        st.persistRules(false, true);
        CookieFixtures.Headers req = new CookieFixtures.Headers().with("cookie", "SRVID=c1");
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect"));
        cp.onRequest(req, st, NOW);
        CookieFixtures.Headers res = new CookieFixtures.Headers().with("set-cookie", "SRVID=x");
        cp.onResponse(res, "GET", 200, group.byName("s2"), st, NOW);
        assertThat(cp.letters(st) + " " + res.map).isEqualTo("UN {set-cookie=[SRVID=x]}");
    }

    @Test
    void rewriteAndPrefixChangeTheServersCookie() {
        CookiePersistence rw = cp(CookieFixtures.spec(CookieSpec.Mode.REWRITE));
        assertThat(exchange(rw, "GET", null, "s1", 200, "set-cookie", "SRVID=xyz; Path=/"))
                .isEqualTo("NR {set-cookie=[SRVID=c1; Path=/]}");
        assertThat(exchange(rw, "GET", null, "s1", 200)).isEqualTo("NN {}");
        assertThat(exchange(rw, "GET", null, "s3", 200, "set-cookie", "SRVID = xyz")).isEqualTo("NP {set-cookie=[SRVID=xyz]}");
        CookiePersistence px = cp(CookieFixtures.spec(CookieSpec.Mode.PREFIX));
        assertThat(exchange(px, "GET", null, "s2", 200, "set-cookie", "SRVID=abc123; Path=/", "set-cookie", "o=1"))
                .isEqualTo("NR {set-cookie=[SRVID=c2~abc123; Path=/, o=1]}");
        assertThat(exchange(px, "GET", "SRVID=abc", "s2", 200)).isEqualTo("IN {}");
    }

    @Test
    void datesAreAddedRefreshedAndKept() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect", "maxidle=1800",
                "maxlife=28800"));
        String now = CookieDate.encode(CookieDate.quantize(NOW));
        String first = CookieDate.encode(CookieDate.quantize(NOW - 60));
        assertThat(exchange(cp, "GET", null, "s1", 200))
                .isEqualTo("NI {set-cookie=[SRVID=c1|" + now + "|" + now + "; path=/]}");
        assertThat(exchange(cp, "GET", CookieRoutingTest.dated(-60, -60), "s1", 200))
                .isEqualTo("VU {set-cookie=[SRVID=c1|" + now + "|" + first + "; path=/]}");
        assertThat(exchange(cp, "GET", "SRVID=c1", "s1", 200))
                .isEqualTo("VU {set-cookie=[SRVID=c1|" + now + "|" + now + "; path=/]}");
        assertThat(exchange(cp, "GET", CookieRoutingTest.dated(8, -60), "s1", 200)).isEqualTo("VN {}");
        assertThat(exchange(cp, "GET", CookieRoutingTest.dated(-3600, -60), "s2", 200))
                .isEqualTo("EI {set-cookie=[SRVID=c2|" + now + "|" + now + "; path=/]}");
        CookiePersistence idleOnly = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "maxidle=20"));
        assertThat(exchange(idleOnly, "GET", null, "s2", 200))
                .isEqualTo("NI {set-cookie=[SRVID=c2|" + now + "; path=/]}");
        assertThat(List.of(now)).hasSize(1);
    }
}
