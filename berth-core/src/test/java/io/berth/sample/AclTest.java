package io.berth.sample;

import io.berth.model.AclSpec;
import io.berth.model.ConditionSpec;
import io.berth.model.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ACL match methods, flags, defaults per fetch, and their error messages (wording from HAProxy 2.6.12 -c). */
class AclTest {
    private final TestContext ctx = TestContext.get("/static/img/logo.png?v=42&page=7",
            "Host", "www.Example.com:8080", "X-Forwarded-For", "10.1.2.3, 192.0.2.7:1234", "Content-Length", "12",
            "Cookie", "SRV=s1");

    /** An anonymous ACL {@code { words }} evaluated against {@code c}. */
    private static boolean acl(TestContext c, String words) throws SampleException {
        return new SampleCompiler(List.of()).condition(cond(false, "{ " + words + " }")).test(c);
    }

    private boolean acl(String words) throws SampleException {
        return acl(ctx, words);
    }

    static ConditionSpec cond(boolean unless, String words) {
        return new ConditionSpec(new Location("t.cfg", 9), unless, Arrays.asList(words.trim().split(" +")));
    }

    @Test
    void eachMatchMethodDiffersFromTheOthers() throws SampleException {
        // the same fetch and pattern under every string method: only the right ones answer
        assertThat(acl("path -m str /static/img/logo.png")).isTrue();
        assertThat(acl("path -m str /static")).isFalse();
        assertThat(acl("path -m beg /static")).isTrue();
        assertThat(acl("path -m beg img")).isFalse();
        assertThat(acl("path -m end .png")).isTrue();
        assertThat(acl("path -m end img")).isFalse();
        assertThat(acl("path -m sub img/lo")).isTrue();
        assertThat(acl("path -m sub gif")).isFalse();
        assertThat(acl("path -m reg ^/static/.*\\.png$")).isTrue();
        assertThat(acl("path -m reg ^/img")).isFalse();
        assertThat(acl("path -m dir img")).isTrue();
        assertThat(acl("path -m dir im")).isFalse();
        assertThat(acl("path -m sub im")).isTrue();
        assertThat(acl("hdr(host) -m dom example.com")).isFalse();
        assertThat(acl("hdr(host) -i -m dom example.com")).isTrue();
        assertThat(acl("hdr(host) -i -m dom ample.com")).isFalse();
        assertThat(acl("hdr(host) -i -m dom 8080")).isTrue();
        assertThat(acl("path -m len 20")).isTrue();
        assertThat(acl("path -m len 19")).isFalse();
        assertThat(acl("path -m found")).isTrue();
        assertThat(acl("hdr(nope) -m found")).isFalse();
        assertThat(acl("urlp(v) -m int 42")).isTrue();
        assertThat(acl("urlp(v) -m str 042")).isFalse();
        assertThat(acl("urlp(v) -m int 042")).isTrue();
        assertThat(acl("hdr(x-forwarded-for,1) -m ip 10.0.0.0/8")).isTrue();
        assertThat(acl("hdr(x-forwarded-for,1) -m str 10.0.0.0/8")).isFalse();
        assertThat(acl("urlp(page) -m bool")).isTrue();
        assertThat(acl(TestContext.get("/?page=0"), "urlp(page) -m bool")).isFalse();
    }

    @Test
    void derivativesImplyTheirMethod() throws SampleException {
        assertThat(acl("hdr_beg(host) www.")).isTrue();
        assertThat(acl("hdr_beg(host) Example")).isFalse();
        assertThat(acl("hdr_end(host) :8080")).isTrue();
        assertThat(acl("hdr_sub(host) -i example")).isTrue();
        assertThat(acl("hdr_sub(host) example")).isFalse();
        assertThat(acl("hdr_reg(host) ^www\\.[A-Z]")).isTrue();
        assertThat(acl("hdr_dom(host) -i www.example.com")).isTrue();
        assertThat(acl("path_beg /static/")).isTrue();
        assertThat(acl("path_end .png .jpg")).isTrue();
        assertThat(acl("path_sub logo")).isTrue();
        assertThat(acl("path_reg logo\\.(png|gif)")).isTrue();
        assertThat(acl("path_dir static")).isTrue();
        assertThat(acl("path_dir stat")).isFalse();
        assertThat(acl("url_beg /static/img/logo.png?v")).isTrue();
        assertThat(acl("url_sub v=42")).isTrue();
        assertThat(acl("url_reg page=[0-9]+$")).isTrue();
        assertThat(acl("urlp_beg(v) 4")).isTrue();
        assertThat(acl("cook_beg(SRV) s")).isTrue();
        assertThat(acl("hdr_len(host) 20")).isTrue();
        assertThat(acl("hdr_ip(x-forwarded-for) 192.0.2.0/24")).isTrue();
        assertThat(acl("hdr_ip(x-forwarded-for) 192.0.3.0/24")).isFalse();
    }

    @Test
    void defaultMethodFollowsTheFetch() throws SampleException {
        assertThat(acl("src 192.168.0.0/16")).isTrue();      // ip
        assertThat(acl("src 192.168.1.10")).isTrue();
        assertThat(acl("src 192.168.1.11")).isFalse();
        assertThat(acl("src_port 40000")).isTrue();          // int
        assertThat(acl("src_port 39999:40001")).isTrue();
        assertThat(acl("path /static/img/logo.png")).isTrue(); // str: exact
        assertThat(acl("path /static")).isFalse();
        assertThat(acl("path,length 20")).isTrue();          // int from the converter
        assertThat(acl("hdr(content-length) 12")).isTrue();
        assertThat(acl("hdr_cnt(x-forwarded-for) 2")).isTrue();
        assertThat(acl("src,ipmask(16) 192.168.0.0")).isTrue();
    }

    @Test
    void aclsTryEveryHeaderOccurrenceButExpressionsTakeTheLast() throws SampleException {
        assertThat(acl("hdr(x-forwarded-for) 10.1.2.3")).isTrue();
        assertThat(acl("hdr(x-forwarded-for,2) 10.1.2.3")).isFalse();
        assertThat(new SampleCompiler(List.of()).expression("hdr(x-forwarded-for)").evaluate(ctx))
                .isEqualTo("192.0.2.7:1234");
    }

    @Test
    void integerOperatorsAndRanges() throws SampleException {
        TestContext c = ctx.withSource("127.0.0.1", 100);
        assertThat(acl(c, "src_port gt 99")).isTrue();
        assertThat(acl(c, "src_port gt 100")).isFalse();
        assertThat(acl(c, "src_port ge 100")).isTrue();
        assertThat(acl(c, "src_port lt 100")).isFalse();
        assertThat(acl(c, "src_port lt 101")).isTrue();
        assertThat(acl(c, "src_port le 100")).isTrue();
        assertThat(acl(c, "src_port le 99")).isFalse();
        assertThat(acl(c, "src_port eq 100")).isTrue();
        assertThat(acl(c, "src_port 1:99 101:")).isFalse();
        assertThat(acl(c, "src_port :100")).isTrue();
        assertThat(acl(c, "src_port 100:")).isTrue();
        assertThat(acl(c, "src_port gt 500 100")).isTrue();
    }

    @Test
    void ipv6AndMasks() throws SampleException {
        TestContext v6 = ctx.withSource("2001:db8::5", 1);
        assertThat(acl(v6, "src 2001:db8::/32")).isTrue();
        assertThat(acl(v6, "src 2001:db9::/32")).isFalse();
        assertThat(acl(v6, "src 0.0.0.0/0")).isFalse();
        assertThat(acl(ctx, "src ::ffff:192.168.0.0/112")).isTrue();
        assertThat(acl(ctx, "src 192.168.1.0/255.255.255.0")).isTrue();
        assertThat(acl(ctx, "src -m str 192.168.1.10")).isTrue();
    }

    @Test
    void ignoreCaseFlagsAndDoubleDash() throws SampleException {
        assertThat(acl("hdr(host) www.example.com:8080")).isFalse();
        assertThat(acl("hdr(host) -i WWW.EXAMPLE.COM:8080")).isTrue();
        assertThat(acl("path_reg -i LOGO")).isTrue();
        assertThat(acl("path_reg LOGO")).isFalse();
        assertThat(acl(TestContext.get("/-x"), "path_end -- -x")).isTrue();
    }

    @Test
    void patternFile(@TempDir Path dir) throws IOException, SampleException {
        Path f = dir.resolve("nets.lst");
        Files.writeString(f, "# office\n10.0.0.0/8\n\n192.168.1.0/24\n");
        assertThat(acl("src -f " + f)).isTrue();
        assertThat(acl(ctx.withSource("172.16.0.1", 1), "src -f " + f)).isFalse();
    }

    @Test
    void namedAclLinesAreOred() throws SampleException {
        List<AclSpec> acls = List.of(
                new AclSpec(new Location("t.cfg", 3), "img", List.of("path_end", ".gif")),
                new AclSpec(new Location("t.cfg", 4), "img", List.of("path_end", ".png")),
                new AclSpec(new Location("t.cfg", 5), "local", List.of("src", "127.0.0.1")));
        SampleCompiler c = new SampleCompiler(acls);
        assertThat(c.condition(cond(false, "img")).test(ctx)).isTrue();
        assertThat(c.condition(cond(false, "img")).test(TestContext.get("/a.jpg"))).isFalse();
        assertThat(c.condition(cond(false, "img local")).test(ctx)).isFalse();
        assertThat(c.condition(cond(false, "img local")).test(ctx.withSource("127.0.0.1", 1))).isTrue();
        assertThat(c.aclProblems()).isEmpty();
    }

    @Test
    void errorMessages() {
        assertAclError("foo(bar) x", "unknown fetch method 'foo' in ACL expression 'foo(bar)'.");
        assertAclError("hdr(host) -m zzz x", "unknown matching method 'zzz' when parsing ACL expression.");
        assertAclError("src 1.2.3.400", "'1.2.3.400' is not a valid IPv4 or IPv6 address.");
        assertAclError("src 10.0.0.0/33", "'10.0.0.0/33' is not a valid IPv4 or IPv6 address.");
        assertAclError("status gt x", "'x' is neither a number nor a supported operator.");
        assertAclError("status 1:a", "'1:a' is not a valid number range.");
        assertAclError("path,lowerr x", "ACL keyword 'path' : unknown converter 'lowerr'..");
        assertAclError("path,lower(2) x",
                "ACL keyword 'path' : invalid arg 1 in converter 'lower' : expected ')' before '2)'..");
        assertAclError("hdr(a,b) x", "ACL keyword 'hdr' : failed to parse 'b' as type 'integer' at position 2.");
        assertAclError("path_beg(3) x", "ACL keyword 'path_beg' : expected ')' before '3)'.");
        assertAclError("path -x y",
                "'-x' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'.");
        assertThatThrownBy(() -> acl(ctx, "path_reg (["))
                .hasMessageStartingWith("regex '([' is invalid (error=");
    }

    @Test
    void brokenNamedAclIsReportedAtItsLine() {
        AclSpec bad = new AclSpec(new Location("t.cfg", 8), "a1", List.of("foo(bar)", "x"));
        SampleCompiler c = new SampleCompiler(List.of(bad));
        assertThat(c.aclProblems()).containsExactly(new SampleCompiler.AclProblem(bad,
                "error detected while parsing ACL 'a1' : unknown fetch method 'foo' in ACL expression 'foo(bar)'."));
        assertThatThrownBy(() -> c.condition(cond(false, "a1")))
                .hasMessage("error detected while parsing ACL 'a1' : unknown fetch method 'foo' in ACL expression 'foo(bar)'.");
    }

    private void assertAclError(String words, String message) {
        assertThatThrownBy(() -> acl(words)).isInstanceOf(SampleException.class).hasMessage(message);
    }
}
