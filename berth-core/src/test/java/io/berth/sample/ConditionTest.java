package io.berth.sample;

import io.berth.model.AclSpec;
import io.berth.model.Location;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.berth.sample.AclTest.cond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Condition grammar as HAProxy's parse_acl_cond: AND, OR, negation, anonymous and predefined ACLs, unless. */
class ConditionTest {
    private final SampleCompiler c = new SampleCompiler(List.of(
            new AclSpec(Location.NONE, "t", List.of("always_true")),
            new AclSpec(Location.NONE, "f", List.of("always_false"))));
    private final TestContext ctx = TestContext.get("/");

    private boolean test(String words) throws SampleException {
        return c.condition(cond(false, words)).test(ctx);
    }

    @Test
    void andOrNot() throws SampleException {
        assertThat(test("t")).isTrue();
        assertThat(test("f")).isFalse();
        assertThat(test("t f")).isFalse();          // implicit AND
        assertThat(test("t t")).isTrue();
        assertThat(test("f || t")).isTrue();
        assertThat(test("f or t")).isTrue();
        assertThat(test("f OR t")).isTrue();
        assertThat(test("f || f")).isFalse();
        assertThat(test("t f || f t")).isFalse();   // AND binds tighter than OR
        assertThat(test("t f || t t")).isTrue();
        assertThat(test("!f")).isTrue();
        assertThat(test("! f")).isTrue();
        assertThat(test("!!f")).isFalse();
        assertThat(test("!t || !f")).isTrue();
        assertThat(test("t !")).isTrue();           // a dangling '!' is allowed, as in HAProxy
        assertThat(test("t || ! || f")).isTrue();
    }

    @Test
    void unlessInverts() throws SampleException {
        assertThat(c.condition(cond(true, "t")).test(ctx)).isFalse();
        assertThat(c.condition(cond(true, "f")).test(ctx)).isTrue();
        assertThat(c.condition(null).test(ctx)).isTrue();
    }

    @Test
    void anonymousAcls() throws SampleException {
        assertThat(test("{ path / } t")).isTrue();
        assertThat(test("! { path / }")).isFalse();
        assertThat(test("f || { path_beg / }")).isTrue();
        assertThat(test("{ hdr(host) -m found }")).isFalse();
    }

    @Test
    void absentSampleNegatedMatches() throws SampleException {
        assertThat(test("!{ hdr(host) www }")).isTrue();
    }

    @Test
    void predefinedAcls() throws SampleException {
        assertThat(test("TRUE")).isTrue();
        assertThat(test("FALSE")).isFalse();
        assertThat(test("HTTP")).isTrue();
        assertThat(test("HTTP_1.1")).isTrue();
        assertThat(test("HTTP_1.0")).isFalse();
        assertThat(test("METH_GET")).isTrue();
        assertThat(c.condition(cond(false, "METH_GET")).test(ctx.withMethod("HEAD", "HTTP/1.0"))).isTrue();
        assertThat(c.condition(cond(false, "HTTP_1.0")).test(ctx.withMethod("HEAD", "HTTP/1.0"))).isTrue();
        assertThat(test("METH_POST")).isFalse();
        assertThat(test("HTTP_URL_SLASH")).isTrue();
        assertThat(test("HTTP_URL_ABS")).isFalse();
        assertThat(test("HTTP_CONTENT")).isFalse();
        assertThat(c.condition(cond(false, "HTTP_CONTENT")).test(TestContext.get("/", "Content-Length", "3"))).isTrue();
        assertThat(test("LOCALHOST")).isFalse();
        assertThat(c.condition(cond(false, "LOCALHOST")).test(ctx.withSource("127.0.0.2", 1))).isTrue();
        assertThat(c.condition(cond(false, "LOCALHOST")).test(ctx.withSource("::1", 1))).isTrue();
    }

    @Test
    void userAclHidesPredefinedOne() throws SampleException {
        SampleCompiler own = new SampleCompiler(List.of(new AclSpec(Location.NONE, "TRUE", List.of("always_false"))));
        assertThat(own.condition(cond(false, "TRUE")).test(ctx)).isFalse();
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> test("nosuch")).hasMessage("no such ACL : 'nosuch'.");
        assertThatThrownBy(() -> test("}")).hasMessage("no such ACL : '}'.");
        assertThatThrownBy(() -> test("{ path /")).hasMessage("missing closing '}' in condition.");
        assertThatThrownBy(() -> test("{ foo }")).hasMessage("unknown fetch method 'foo' in ACL expression 'foo'.");
        assertThatThrownBy(() -> test("t { }")).hasMessage("missing fetch method in ACL expression ''.");
        assertThatThrownBy(() -> test("{ path -m }"))
                .hasMessage("unknown matching method '' when parsing ACL expression.");
    }
}
