package io.berth.persist.cookie;

import io.berth.persist.cookie.CookieOracle.Req;
import io.berth.persist.cookie.CookieOracle.Seen;
import io.berth.testkit.Backends;
import io.berth.testkit.Haproxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test of cookie persistence: real HAProxy 2.6 and Berth run the same configuration (one
 * {@code listen} per case) against the same three backends and receive the same requests; for each request the
 * Set-Cookie and Cache-Control headers the client got, the Cookie headers the backend received, the server chosen
 * and the httplog termination state (its cookie letters) must be identical. Each test also pins a few of
 * HAProxy's answers (§1.3, §1.7 of the reference) so that a harness reading nothing cannot pass.
 */
class CookieDifferentialIT {
    private static final String CONFIG = """
            global
                log stdout format raw local0 info
            defaults
                mode http
                log global
                option httplog
                balance roundrobin
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            listen ins
                bind 127.0.0.1:${ins}
                cookie SRVID insert indirect nocache httponly secure
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
                server s3 127.0.0.1:${s3}
            listen insnoind
                bind 127.0.0.1:${insnoind}
                cookie SRVID insert
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen postonly
                bind 127.0.0.1:${postonly}
                cookie SRVID insert postonly indirect
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen preserve
                bind 127.0.0.1:${preserve}
                cookie SRVID insert indirect preserve
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen domattr
                bind 127.0.0.1:${domattr}
                cookie SRVID insert domain .example.com domain .example.org attr "SameSite=Strict" attr "Max-Age=3600"
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen rewrite
                bind 127.0.0.1:${rewrite}
                cookie SRVID rewrite
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen prefix
                bind 127.0.0.1:${prefix}
                cookie JSESSIONID prefix
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen passive
                bind 127.0.0.1:${passive}
                cookie SRVID
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen dated
                bind 127.0.0.1:${dated}
                cookie SRVID insert indirect nocache maxidle 30m maxlife 8h
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen idleonly
                bind 127.0.0.1:${idleonly}
                cookie SRVID insert maxidle 20s
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen dyn
                bind 127.0.0.1:${dyn}
                cookie SRVID insert dynamic
                dynamic-cookie-key MySecret
                server s1 127.0.0.1:${s1}
                server s2 127.0.0.1:${s2}
                server s3 127.0.0.1:${s3} cookie c3
            listen maint
                bind 127.0.0.1:${maint}
                cookie SRVID insert indirect
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2 disabled
                server s3 127.0.0.1:${s3} cookie c3
            listen maintpersist
                bind 127.0.0.1:${maintpersist}
                option persist
                cookie SRVID insert indirect
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2 disabled
            listen rules
                bind 127.0.0.1:${rules}
                cookie SRVID insert indirect
                force-persist if { hdr(x-force) 1 }
                ignore-persist if { hdr(x-ignore) 1 }
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2 disabled
                server s3 127.0.0.1:${s3} cookie c3
            listen shared
                bind 127.0.0.1:${shared}
                cookie SRVID insert indirect
                server s1 127.0.0.1:${s1} cookie cx disabled
                server s2 127.0.0.1:${s2} cookie cx
                server s3 127.0.0.1:${s3} cookie c3
            listen drain
                bind 127.0.0.1:${drain}
                cookie SRVID insert indirect nocache
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2 weight 0
                server s3 127.0.0.1:${s3} cookie c3 backup
            defaults
                mode http
                log global
                option httplog
                timeout connect 1s
                timeout client 10s
                timeout server 10s
                cookie DEF insert indirect httponly attr "SameSite=Lax"
            listen fromdefaults
                bind 127.0.0.1:${fromdefaults}
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            listen overridden
                bind 127.0.0.1:${overridden}
                cookie OWN insert secure
                server s1 127.0.0.1:${s1} cookie c1
                server s2 127.0.0.1:${s2} cookie c2
            """;

    @RegisterExtension
    static Backends backends = Backends.start(3);

    private static CookieOracle oracle;
    private final List<String> mismatches = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Haproxy.assumeInstalled();
        oracle = new CookieOracle(CONFIG, backends);
    }

    @AfterAll
    static void stop() throws Exception {
        if (oracle != null) {
            oracle.close();
        }
    }

    @BeforeEach
    void answer() {
        oracle.answerQueries();
    }

    /** Sends {@code req} to both; records a mismatch; returns HAProxy's view. */
    private Seen both(String px, Req req) throws IOException {
        Seen[] s = oracle.exchange(px, req);
        String what = px + " " + req.method() + " " + req.uri() + " cookies=" + abbreviate(req.cookies().toString())
                + " " + req.headers();
        record(what, s);
        return s[0];
    }

    private void record(String what, Seen[] s) {
        String text = what + "\n   haproxy " + abbreviate(s[0].toString()) + "\n   berth   " + abbreviate(s[1].toString());
        System.out.println(text);
        if (!s[0].equals(s[1])) {
            mismatches.add(text);
        }
    }

    private static String abbreviate(String s) {
        return s.replaceAll("([a-z])\\1{20,}", "$1$1$1...");
    }

    private void noMismatch() {
        assertThat(mismatches).as("requests where Berth differs from HAProxy").isEmpty();
    }

    @Test
    void insertModeFlagsMatchHaproxy() throws IOException {
        // three first visits cover s1, s2 and s3 (round robin), whatever earlier tests did
        for (int i = 0; i < 3; i++) {
            Seen first = both("ins", Req.get("/"));
            assertThat(first.termination()).isEqualTo("--NI");
            assertThat(first.setCookies()).containsExactly(switch (first.server()) {
                case "s1" -> "SRVID=c1; path=/; HttpOnly; Secure";
                case "s2" -> "SRVID=c2; path=/; HttpOnly; Secure";
                default -> "SRVID=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/; HttpOnly; Secure";
            });
        }
        Seen valid = both("ins", Req.get("/", "SRVID=c2"));
        assertThat(valid.termination()).isEqualTo("--VN");
        assertThat(valid.backendCookies()).isEmpty();
        Seen kept = both("ins", Req.get("/", "foo=1; SRVID=c2; bar=2"));
        assertThat(kept.backendCookies()).containsExactly("foo=1; bar=2");
        both("ins", Req.get("/", "SRVID=c1; foo=1"));
        both("ins", Req.get("/", "foo=1;SRVID=c1"));
        both("ins", Req.get("/", "SRVID=c1, other=3"));
        // nocache: only a response that is still cacheable gets cache-control: private
        Seen cacheable = both("ins", Req.get("/?cc=max-age%3D60"));
        assertThat(cacheable.cacheControls()).containsExactly("max-age=60", "private");
        both("ins", Req.get("/?cc=public"));
        both("ins", Req.get("/?cc=no-cache"));
        both("ins", Req.get("/?cc=max-age%3D60").post());
        both("ins", Req.get("/?h=ETag:%20%22v1%22"));
        both("ins", Req.get("/?h=Expires:%20Thu,%2001%20Jan%202099%2000:00:00%20GMT"));
        both("ins", Req.get("/?cc=max-age%3D60&h=Pragma:%20no-cache"));
        both("ins", Req.get("/?cc=max-age%3D60&status=404"));
        both("ins", Req.get("/?cc=max-age%3D60&status=302"));
        both("ins", Req.get("/?cc=max-age%3D60", "SRVID=c1"));
        // the server's own persistence cookie is removed
        Seen removed = both("ins", Req.get("/?setcookie=SRVID%3Dapp", "SRVID=c1"));
        assertThat(removed.termination()).isEqualTo("--VD");
        both("ins", Req.get("/?setcookie=SRVID%3Dapp&setcookie=other%3D1"));
        both("insnoind", Req.get("/"));
        both("insnoind", Req.get("/", "a=1; SRVID=c2; b=2"));
        both("insnoind", Req.get("/?setcookie=SRVID%3Dapp", "SRVID=c2"));
        both("postonly", Req.get("/"));
        Seen posted = both("postonly", Req.get("/").post());
        assertThat(posted.setCookies()).hasSize(1);
        both("postonly", Req.get("/", "SRVID=c1").post());
        both("preserve", Req.get("/"));
        Seen preserved = both("preserve", Req.get("/?setcookie=SRVID%3Dapp%3B%20Max-Age%3D0", "SRVID=c1"));
        assertThat(preserved.termination()).isEqualTo("--VP");
        both("preserve", Req.get("/?setcookie=SRVID%3Dapp"));
        Seen dom = both("domattr", Req.get("/"));
        assertThat(dom.setCookies()).containsExactly(
                "SRVID=c1; path=/; domain=.example.com; domain=.example.org; SameSite=Strict; Max-Age=3600");
        both("domattr", Req.get("/", "SRVID=c1"));
        noMismatch();
    }

    @Test
    void rewritePrefixAndPassiveMatchHaproxy() throws IOException {
        Seen rewritten = both("rewrite", Req.get("/?setcookie=SRVID%3Dxyz%3B%20Path%3D/"));
        assertThat(rewritten.setCookies()).containsExactly("SRVID=c" + rewritten.server().charAt(1) + "; Path=/");
        assertThat(rewritten.termination()).isEqualTo("--NR");
        both("rewrite", Req.get("/"));
        both("rewrite", Req.get("/", "SRVID=c2"));
        both("rewrite", Req.get("/?setcookie=SRVID%3Dxyz", "SRVID=c2"));
        both("rewrite", Req.get("/?setcookie=SRVID%20%3D%20xyz%20%3B%20Path%3D/"));
        Seen prefixed = both("prefix", Req.get("/?setcookie=JSESSIONID%3Dabc123%3B%20Path%3D/"));
        assertThat(prefixed.setCookies())
                .containsExactly("JSESSIONID=c" + prefixed.server().charAt(1) + "~abc123; Path=/");
        Seen stripped = both("prefix", Req.get("/", "JSESSIONID=c2~abc123"));
        assertThat(stripped.backendCookies()).containsExactly("JSESSIONID=abc123");
        assertThat(stripped.server()).isEqualTo("s2");
        both("prefix", Req.get("/", "JSESSIONID=abc"));
        both("prefix", Req.get("/", "a=1; JSESSIONID=c1~x~y; b=2"));
        both("prefix", Req.get("/?setcookie=JSESSIONID%3Dnew", "JSESSIONID=c2~old"));
        Seen passive = both("passive", Req.get("/", "SRVID=c2"));
        assertThat(passive.server()).isEqualTo("s2");
        assertThat(passive.termination()).isEqualTo("----");
        both("passive", Req.get("/", "SRVID = c1 ; x=1"));
        both("passive", Req.get("/?setcookie=SRVID%3Dapp"));
        noMismatch();
    }

    @Test
    void datedCookiesMatchHaproxy() throws IOException {
        long now = System.currentTimeMillis() / 1000;
        String lastMinus60 = date(now - 60);
        dated("dated", "SRVID=c1|" + lastMinus60 + "|" + lastMinus60);
        Seen idle = dated("dated", "SRVID=c1|" + date(now - 3600) + "|" + date(now - 3600));
        assertThat(idle.termination()).isEqualTo("--EI");
        Seen old = dated("dated", "SRVID=c2|" + date(now - 60) + "|" + date(now - 9 * 3600));
        assertThat(old.termination()).isEqualTo("--OI");
        dated("dated", "SRVID=c2|" + date(now + 2 * 86400) + "|" + date(now - 60));
        dated("dated", "SRVID=c2|" + date(now - 60) + "|" + date(now + 2 * 86400));
        dated("dated", "SRVID=c1");
        Seen ahead = dated("dated", "SRVID=c1|" + date(now + 8) + "|" + date(now - 60));
        assertThat(ahead.termination()).isEqualTo("--VN");
        dated("dated", "SRVID=c1|" + date(now + 8));
        dated("dated", "SRVID=c1|AAAA=|" + date(now - 60));
        dated("dated", "SRVID=c1|" + date(now + 8) + "|");
        dated("dated", null);
        dated("idleonly", null);
        dated("idleonly", "SRVID=c2|" + date(now + 8));
        dated("idleonly", "SRVID=c2|" + date(now - 30));
        dated("idleonly", "SRVID=c2|" + date(now - 10) + "|" + date(now - 10));
        noMismatch();
    }

    /** A dated exchange, repeated when the 4-second date step changed between the two requests. */
    private Seen dated(String px, String cookie) throws IOException {
        Req req = cookie == null ? Req.get("/?cc=max-age%3D60") : Req.get("/?cc=max-age%3D60", cookie);
        for (int attempt = 0; ; attempt++) {
            int before = CookieDate.quantize(System.currentTimeMillis() / 1000);
            Seen[] s = oracle.exchange(px, req);
            int after = CookieDate.quantize(System.currentTimeMillis() / 1000);
            if (before != after && attempt < 3) {
                continue;
            }
            record(px + " cookie=" + cookie, s);
            return s[0];
        }
    }

    private static String date(long seconds) {
        return CookieDate.encode(CookieDate.quantize(seconds));
    }

    @Test
    void dynamicCookiesMatchHaproxy() throws IOException {
        Seen s1 = both("dyn", Req.get("/"));
        assertThat(s1.setCookies()).hasSize(1);
        String value = s1.setCookies().get(0);
        assertThat(value).matches("SRVID=[0-9a-f]{16}; path=/");
        String cookie = value.substring(0, value.indexOf(';'));
        both("dyn", Req.get("/"));
        both("dyn", Req.get("/"));
        Seen pinned = both("dyn", Req.get("/", cookie));
        assertThat(pinned.server()).isEqualTo("s1");
        assertThat(pinned.termination()).isEqualTo("--VN");
        both("dyn", Req.get("/", "SRVID=c3"));
        noMismatch();
    }

    @Test
    void routingCasesMatchHaproxy() throws IOException {
        Seen unknown = both("ins", Req.get("/", "SRVID=zz"));
        assertThat(unknown.termination()).isEqualTo("--II");
        both("ins", Req.get("/", "SRVID="));
        both("ins", Req.get("/", "SRVID=\"c1\""));
        both("ins", Req.get("/", "SRVID=\"c1;x\"; a=b"));
        both("ins", Req.get("/", "srvid=c1"));
        both("ins", Req.get("/", "SRVIDX=c1; SRVID=c2"));
        both("ins", Req.get("/", "a=1", "SRVID=c2; b=2", "c=3"));
        both("ins", Req.get("/", "SRVID=c2", "SRVID=c1"));
        both("ins", Req.get("/", "$Version=\"1\"; SRVID=c1; $Path=\"/\""));
        both("ins", Req.get("/", "  a = 1 ;SRVID = c2 , b=3"));
        both("ins", Req.get("/", "flag; SRVID=c2; other"));
        both("ins", Req.get("/", ";;SRVID=c1;;"));
        both("ins", Req.get("/", "a=" + "x".repeat(3000) + "; SRVID=c2; b=" + "y".repeat(3000)));
        Seen maint = both("maint", Req.get("/", "SRVID=c2"));
        assertThat(maint.termination()).isEqualTo("--DI");
        assertThat(maint.server()).isNotEqualTo("s2");
        both("maint", Req.get("/", "SRVID=c3"));
        Seen persisted = both("maintpersist", Req.get("/", "SRVID=c2"));
        assertThat(persisted.server()).isEqualTo("s2");
        assertThat(persisted.termination()).isEqualTo("--DN");
        both("rules", Req.get("/", "SRVID=c2"));
        Seen forced = both("rules", Req.get("/", "SRVID=c2").with("X-Force: 1"));
        assertThat(forced.server()).isEqualTo("s2");
        Seen ignored = both("rules", Req.get("/", "SRVID=c3").with("X-Ignore: 1"));
        assertThat(ignored.termination()).isEqualTo("--UN");
        both("rules", Req.get("/").with("X-Ignore: 1"));
        both("rules", Req.get("/?setcookie=SRVID%3Dapp", "SRVID=c3").with("X-Ignore: 1"));
        both("rules", Req.get("/", "SRVID=c3").with("X-Force: 1").with("X-Ignore: 1"));
        both("shared", Req.get("/", "SRVID=cx"));
        both("shared", Req.get("/", "SRVID=cx"));
        noMismatch();
    }

    @Test
    void drainBackupDefaultsAndOddResponsesMatchHaproxy() throws IOException {
        Seen drained = both("drain", Req.get("/", "SRVID=c2"));
        assertThat(drained.server()).isEqualTo("s2");
        both("drain", Req.get("/"));
        both("drain", Req.get("/"));
        Seen backup = both("drain", Req.get("/", "SRVID=c3"));
        assertThat(backup.server()).isEqualTo("s3");
        both("drain", Req.get("/?status=304&cc=max-age%3D60"));
        both("drain", Req.get("/?status=500&cc=max-age%3D60"));
        both("drain", Req.get("/?status=203&cc=max-age%3D60"));
        both("drain", Req.get("/?cc=no-cache%3D%22set-cookie%22&cc=max-age%3D60"));
        both("drain", Req.get("/?cc=public%2C%20max-age%3D60"));
        both("drain", Req.get("/?cc=max-age%3D60").with("X-Other: 1"));
        both("drain", new Req("HEAD", "/?cc=max-age%3D60", List.of(), List.of()));
        both("drain", new Req("OPTIONS", "/?cc=max-age%3D60", List.of(), List.of()));
        both("drain", Req.get("/?setcookie=a%3D1&setcookie=SRVID%3Dx&setcookie=b%3D2"));
        both("drain", Req.get("/", "SRVID=c1\t;\tx=1".replace("\\t", "\t")));
        both("drain", Req.get("/", "x=\"a;b\"; SRVID=c1; y=\"c,d\""));
        Seen inherited = both("fromdefaults", Req.get("/"));
        assertThat(inherited.setCookies()).containsExactly(
                "DEF=c" + inherited.server().charAt(1) + "; path=/; HttpOnly; SameSite=Lax");
        both("fromdefaults", Req.get("/", "DEF=c2; SRVID=c1"));
        Seen own = both("overridden", Req.get("/"));
        assertThat(own.setCookies()).hasSize(1);
        both("overridden", Req.get("/", "OWN=c2"));
        both("overridden", Req.get("/", "DEF=c2"));
        noMismatch();
    }
}
