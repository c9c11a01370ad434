package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.CookieSpec;
import io.berth.server.ServerGroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.berth.persist.cookie.CookieFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** The request step (§1.2): which server, which letter, what Cookie header reaches the server. */
class CookieRoutingTest {
    private ServerGroup group;

    private CookiePersistence cp(CookieSpec spec, boolean persist) {
        BackendSpec b = CookieFixtures.backend(spec, persist, null);
        group = CookieFixtures.group(b);
        return CookiePersistence.create(b, group);
    }

    /** Runs the request step; returns "letter target header1|header2" ("-" when none). */
    private String run(CookiePersistence cp, CookieState st, String... cookies) {
        CookieFixtures.Headers h = new CookieFixtures.Headers();
        for (String c : cookies) {
            h.add("cookie", c);
        }
        cp.onRequest(h, st, NOW);
        List<String> out = h.all("cookie");
        return st.requestLetter() + " " + (st.target() == null ? "-" : st.target().name()) + " "
                + (out.isEmpty() ? "-" : String.join("|", out));
    }

    private String run(CookiePersistence cp, String... cookies) {
        return run(cp, new CookieState(), cookies);
    }

    @Test
    void insertIndirectStripsOnlyThePersistenceCookie() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect"), false);
        assertThat(run(cp)).isEqualTo("N - -");
        assertThat(run(cp, "SRVID=c1")).isEqualTo("V s1 -");
        assertThat(run(cp, "foo=1; SRVID=c2; bar=2")).isEqualTo("V s2 foo=1; bar=2");
        assertThat(run(cp, "SRVID=c2; foo=1")).isEqualTo("V s2 foo=1");
        assertThat(run(cp, "foo=1; SRVID=c2")).isEqualTo("V s2 foo=1");
        assertThat(run(cp, "foo=1;SRVID=c2;bar=2")).isEqualTo("V s2 foo=1; bar=2");
        assertThat(run(cp, "a=1", "SRVID=c1", "b=2")).isEqualTo("V s1 a=1|b=2");
        assertThat(run(cp, "$Version=1; SRVID=c1; $Path=/")).isEqualTo("V s1 -");
        assertThat(run(cp, "SRVID=c1, other=3")).isEqualTo("V s1 other=3");
    }

    @Test
    void unknownEmptyAndQuotedValuesAreInvalid() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect"), false);
        assertThat(run(cp, "SRVID=zz")).isEqualTo("I - -");
        assertThat(run(cp, "SRVID=")).isEqualTo("I - -");
        assertThat(run(cp, "SRVID=\"c1;x\"; a=b")).isEqualTo("I - a=b");
        assertThat(run(cp, "srvid=c1")).isEqualTo("N - srvid=c1");
        assertThat(run(cp, "SRVIDX=c1")).isEqualTo("N - SRVIDX=c1");
        assertThat(run(cp, "novalue; SRVID=c2")).isEqualTo("V s2 novalue");
    }

    @Test
    void passiveModeKeepsTheCookieButRemovesBlanksAroundEquals() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.PASSIVE), false);
        assertThat(run(cp, "a = 1 ;SRVID = c1")).isEqualTo("V s1 a=1 ;SRVID=c1");
        assertThat(cp.letters(new CookieState())).isEqualTo("--");
    }

    @Test
    void stoppedServersGiveDUnlessPersistForcesThem() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect"), false);
        group.byName("s2").setAdminMaint(true);
        assertThat(run(cp, "SRVID=c2")).isEqualTo("D - -");
        group.byName("s2").setAdminMaint(false);
        group.byName("s2").setHealthDown(true);
        assertThat(run(cp, "SRVID=c2")).isEqualTo("D - -");
        CookieState forced = new CookieState();
        forced.persistRules(true, false);
        assertThat(run(cp, forced, "SRVID=c2")).isEqualTo("D s2 -");
        assertThat(forced.direct()).isTrue();
        group.byName("s2").setHealthDown(false);
        group.byName("s2").setAdminDrain(true);
        assertThat(run(cp, "SRVID=c2")).isEqualTo("V s2 -");

        CookiePersistence persist = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect"), true);
        group.byName("s1").setAdminMaint(true);
        assertThat(run(persist, "SRVID=c1")).isEqualTo("D s1 -");
    }

    @Test
    void ignorePersistAndAssignedStreamsLeaveTheCookieUnused() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect"), false);
        CookieState ignored = new CookieState();
        ignored.persistRules(false, true);
        assertThat(run(cp, ignored, "SRVID=c1")).isEqualTo("U - -");
        CookieState assigned = new CookieState();
        assigned.alreadyAssigned();
        assertThat(run(cp, assigned, "SRVID=c1")).isEqualTo("U - -");
        // a second cookie of the same name after a valid one changes nothing
        assertThat(run(cp, "SRVID=c1; SRVID=c2")).isEqualTo("V s1 -");
    }

    @Test
    void prefixModeStripsTheServerPart() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.PREFIX), false);
        assertThat(run(cp, "SRVID=c2~abc123")).isEqualTo("V s2 SRVID=abc123");
        assertThat(run(cp, "x=1; SRVID=c1~a~b; y=2")).isEqualTo("V s1 x=1; SRVID=a~b; y=2");
        assertThat(run(cp, "SRVID=abc123")).isEqualTo("I - SRVID=abc123");
        assertThat(run(cp, "SRVID=zz~abc")).isEqualTo("I - SRVID=abc");
    }

    @Test
    void datesExpireAndOldCookiesAreRebalanced() {
        CookiePersistence cp = cp(CookieFixtures.spec(CookieSpec.Mode.INSERT, "indirect", "nocache",
                "maxidle=1800", "maxlife=28800"), false);
        assertThat(run(cp, dated(-60, -60))).isEqualTo("V s1 -");
        assertThat(run(cp, dated(-3600, -3600))).isEqualTo("E - -");
        assertThat(run(cp, dated(-60, -9 * 3600))).isEqualTo("O - -");
        assertThat(run(cp, dated(2 * 86400, -60))).isEqualTo("E - -");
        assertThat(run(cp, dated(8, -60))).isEqualTo("V s1 -");
        assertThat(run(cp, "SRVID=c1|abc")).isEqualTo("V s1 -");
    }

    static String dated(long lastOffset, long firstOffset) {
        return "SRVID=c1|" + CookieDate.encode(CookieDate.quantize(NOW + lastOffset)) + "|"
                + CookieDate.encode(CookieDate.quantize(NOW + firstOffset));
    }

    @Test
    void dynamicCookiesDesignateServersWithoutExplicitCookie() {
        BackendSpec b = CookieFixtures.backend(CookieFixtures.spec(CookieSpec.Mode.INSERT, "dynamic"), false,
                "MySecret");
        b = new BackendSpec(b.name(), b.id(), b.location(), b.mode(), b.balance(),
                List.of(CookieFixtures.server(1, null), CookieFixtures.server(2, "c2")), b.timeouts(), b.options(),
                b.acls(), b.httpRequestRules(), b.httpResponseRules(), b.retries(), b.httpCheck(), b.logs(),
                b.cookie(), b.dynamicCookieKey(), b.persistRules());
        group = CookieFixtures.group(b);
        CookiePersistence cp = CookiePersistence.create(b, group);
        assertThat(cp.cookieOf(group.byName("s1"))).isEqualTo("57e74c357a08802c");
        assertThat(cp.cookieOf(group.byName("s2"))).isEqualTo("c2");
        assertThat(run(cp, "SRVID=57e74c357a08802c")).isEqualTo("V s1 SRVID=57e74c357a08802c");
    }
}
