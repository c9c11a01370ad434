package io.berth.sample;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fetches and converters. Expected values were captured from HAProxy 2.6.12 with the same request
 * ({@code X: a, b ,c} + {@code X: d}, cookies {@code x = 1; y=2; x=3} + {@code z=4},
 * {@code /Foo/bar.html?a=1&b=2;c=3}) through {@code http-request return lf-string}.
 */
class SampleExprTest {
    private final SampleCompiler compiler = new SampleCompiler(List.of());
    private final TestContext ctx = TestContext.get("/Foo/bar.html?a=1&b=2;c=3",
            "Host", "www.example.com", "X", "a, b ,c", "X", "d", "Cookie", "x = 1; y=2; x=3", "Cookie", "z=4",
            "User-Agent", "Mozilla/5.0 (X11, Linux)");

    private String eval(String expr, SampleContext c) throws SampleException {
        return compiler.expression(expr).evaluate(c);
    }

    private String eval(String expr) throws SampleException {
        return eval(expr, ctx);
    }

    @Test
    void connectionFetches() throws SampleException {
        assertThat(eval("src")).isEqualTo("192.168.1.10");
        assertThat(eval("src_port")).isEqualTo("40000");
        assertThat(eval("dst")).isEqualTo("10.0.0.1");
        assertThat(eval("dst_port")).isEqualTo("80");
        assertThat(eval("src", ctx.withSource("2001:db8:0:0:0:0:0:1", 1))).isEqualTo("2001:db8::1");
        assertThat(eval("fe_name")).isEqualTo("fe");
    }

    @Test
    void requestLineFetches() throws SampleException {
        assertThat(eval("method")).isEqualTo("GET");
        assertThat(eval("path")).isEqualTo("/Foo/bar.html");
        assertThat(eval("url")).isEqualTo("/Foo/bar.html?a=1&b=2;c=3");
        assertThat(eval("base")).isEqualTo("www.example.com/Foo/bar.html");
        assertThat(eval("req.ver")).isEqualTo("1.1");
        assertThat(eval("path", TestContext.get("http://h:8080/abs/p?q"))).isEqualTo("/abs/p");
        assertThat(eval("base", TestContext.get("/p"))).isNull();
    }

    @Test
    void headerFetchesSplitOnCommasAndPickOccurrences() throws SampleException {
        assertThat(eval("hdr(x)")).isEqualTo("d");
        assertThat(eval("req.hdr(X,1)")).isEqualTo("a");
        assertThat(eval("hdr(x,2)")).isEqualTo("b");
        assertThat(eval("hdr(x,-2)")).isEqualTo("c");
        assertThat(eval("hdr(x,9)")).isNull();
        assertThat(eval("hdr(nope)")).isNull();
        assertThat(eval("req.fhdr(x)")).isEqualTo("d");
        assertThat(eval("fhdr(x,1)")).isEqualTo("a, b ,c");
        assertThat(eval("req.fhdr(user-agent)")).isEqualTo("Mozilla/5.0 (X11, Linux)");
        assertThat(eval("hdr(user-agent)")).isEqualTo("Linux)");
        assertThat(eval("req.hdr_cnt(x)")).isEqualTo("4");
        assertThat(eval("hdr_cnt(x)")).isEqualTo("4");
        assertThat(eval("req.fhdr_cnt(x)")).isEqualTo("2");
        assertThat(eval("hdr_cnt(nope)")).isEqualTo("0");
    }

    @Test
    void cookieFetches() throws SampleException {
        assertThat(eval("req.cook(x)")).isEqualTo("3");
        assertThat(eval("cook(y)")).isEqualTo("2");
        assertThat(eval("cook(z)")).isEqualTo("4");
        assertThat(eval("req.cook")).isEqualTo("1");
        assertThat(eval("req.cook(nope)")).isNull();
        assertThat(eval("req.cook_cnt(x)")).isEqualTo("2");
        TestContext res = ctx.withResponse(200, "Set-Cookie", "SRV=s1; path=/", "Set-Cookie", "other=9; HttpOnly");
        assertThat(eval("res.cook(SRV)", res)).isEqualTo("s1");
        assertThat(eval("scook(other)", res)).isEqualTo("9");
        assertThat(eval("res.cook(path)", res)).isNull();
        assertThat(eval("res.cook_cnt", res)).isEqualTo("2");
    }

    @Test
    void urlParameters() throws SampleException {
        assertThat(eval("url_param(b)")).isEqualTo("2");
        assertThat(eval("urlp(c)")).isEqualTo("3");
        assertThat(eval("urlp")).isEqualTo("1");
        assertThat(eval("urlp(zz)")).isNull();
        assertThat(eval("urlp(JSESSIONID,;)", TestContext.get("/foo;JSESSIONID=abc"))).isEqualTo("abc");
    }

    @Test
    void serverAndResponseFetches() throws SampleException {
        assertThat(eval("srv_name")).isNull();
        assertThat(eval("status")).isNull();
        TestContext done = ctx.withServer("be", "s2", 2, new InetSocketAddress("127.0.0.1", 8080))
                .withResponse(302, "Location", "/x", "Cache-Control", "private, max-age=0");
        assertThat(eval("srv_name", done)).isEqualTo("s2");
        assertThat(eval("srv_id", done)).isEqualTo("2");
        assertThat(eval("be_name", done)).isEqualTo("be");
        assertThat(eval("status", done)).isEqualTo("302");
        assertThat(eval("res.hdr(location)", done)).isEqualTo("/x");
        assertThat(eval("res.hdr(cache-control,1)", done)).isEqualTo("private");
        assertThat(eval("res.hdr_cnt(cache-control)", done)).isEqualTo("2");
    }

    @Test
    void converters() throws SampleException {
        assertThat(eval("path,upper")).isEqualTo("/FOO/BAR.HTML");
        assertThat(eval("path,lower")).isEqualTo("/foo/bar.html");
        assertThat(eval("path,word(2,/)")).isEqualTo("bar.html");
        assertThat(eval("path,field(2,/)")).isEqualTo("Foo");
        assertThat(eval("path,word(-1,/.)")).isEqualTo("html");
        assertThat(eval("path,length")).isEqualTo("13");
        assertThat(eval("path,hex")).isEqualTo("2F466F6F2F6261722E68746D6C");
        assertThat(eval("src_port,hex", ctx.withSource("127.0.0.1", 52138))).isEqualTo("000000000000CBAA");
        assertThat(eval("src,ipmask(8)")).isEqualTo("192.0.0.0");
        assertThat(eval("src,ipmask(255.255.0.0)")).isEqualTo("192.168.0.0");
        assertThat(eval("src,ipmask(24,64)", ctx.withSource("2001:db8:1:2:3:4:5:6", 1))).isEqualTo("2001:db8:1:2::");
        assertThat(eval("src,ipmask(24)", ctx.withSource("2001:db8::1", 1))).isNull();
        assertThat(eval("req.cook(x),lower,upper")).isEqualTo("3");
    }

    @Test
    void typedExpressionKeepsAddresses() throws SampleException {
        TypedExpr e = compiler.typedExpression("src");
        assertThat(e.type()).isEqualTo(Sample.Type.IP);
        assertThat(e.address(ctx).getHostAddress()).isEqualTo("192.168.1.10");
        assertThat(compiler.typedExpression("src,ipmask(16)").type()).isEqualTo(Sample.Type.IP);
        assertThat(compiler.typedExpression("path,length").sample(ctx).asLong()).isEqualTo(13L);
    }

    @Test
    void errorsReadLikeHaproxy() {
        assertThatThrownBy(() -> compiler.expression("nosuch")).hasMessage("unknown fetch method 'nosuch'.");
        assertThatThrownBy(() -> compiler.expression("path,nosuchconv"))
                .hasMessage("unknown converter 'nosuchconv'.");
        assertThatThrownBy(() -> compiler.expression("path,word(x,/)"))
                .hasMessage("invalid arg 1 in converter 'word' : failed to parse 'x' as type 'integer' at position 1.");
        assertThatThrownBy(() -> compiler.expression("path,word(1)"))
                .hasMessage("invalid arg 2 in converter 'word' : missing arguments (got 1/2), type 'string' expected.");
        assertThatThrownBy(() -> compiler.expression("src,ipmask(40)"))
                .hasMessage("invalid arg 1 in converter 'ipmask' : failed to parse '40' as type 'IPv4 mask' at position 1.");
        assertThatThrownBy(() -> compiler.expression("hdr(a,b)"))
                .hasMessage("fetch method 'hdr' : failed to parse 'b' as type 'integer' at position 2.");
        assertThatThrownBy(() -> compiler.expression("path(3)"))
                .hasMessage("fetch method 'path' : expected ')' before '3)'.");
    }
}
