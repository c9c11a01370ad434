package io.berth.sample;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Log-format strings in header values; expected output captured from HAProxy 2.6.12 (lf-string). */
class LogFormatTest {
    private final SampleCompiler compiler = new SampleCompiler(List.of());
    private final TestContext ctx = TestContext.get("/Foo/bar.html?a=1", "Host", "h", "X", "a, b").withSource(
            "127.0.0.1", 52138);

    private String render(String format, SampleContext c) throws SampleException {
        return compiler.logFormat(format).render(c);
    }

    @Test
    void aliasesBeforeAServerIsChosen() throws SampleException {
        assertThat(render("s=%s b=%b f=%f ft=%ft ci=%ci cp=%cp fi=%fi fp=%fp si=%si sp=%sp", ctx))
                .isEqualTo("s=<NOSRV> b=fe f=fe ft=fe ci=127.0.0.1 cp=52138 fi=10.0.0.1 fp=80 si= sp=");
        assertThat(render("r=%r HM=%HM HU=%HU HP=%HP HV=%HV pct=%% q=%{+Q}r", ctx)).isEqualTo(
                "r=GET /Foo/bar.html?a=1 HTTP/1.1 HM=GET HU=/Foo/bar.html?a=1 HP=/Foo/bar.html HV=HTTP/1.1 pct=% "
                        + "q=\"GET /Foo/bar.html?a=1 HTTP/1.1\"");
    }

    @Test
    void aliasesAfterTheServer() throws SampleException {
        TestContext done = ctx.withServer("be", "s1", 1, new InetSocketAddress("127.0.0.2", 8081))
                .withResponse(200);
        assertThat(render("%s|%b|%si:%sp|%ST|%[srv_name]|%[srv_id]", done)).isEqualTo("s1|be|127.0.0.2:8081|200|s1|1");
    }

    @Test
    void samplesAndLiterals() throws SampleException {
        assertThat(render("server=%[path,upper] x=%[hdr(x)] none=%[hdr(nope)].", ctx))
                .isEqualTo("server=/FOO/BAR.HTML x=b none=.");
        assertThat(render("plain text", ctx)).isEqualTo("plain text");
        assertThat(render("", ctx)).isEmpty();
        assertThat(render("%[path,word(1,/)]%[src]", ctx)).isEqualTo("Foo127.0.0.1");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> compiler.logFormat("%Z")).hasMessage(
                "no such format variable 'Z'. If you wanted to emit the '%' character verbatim, you need to use '%%'.");
        assertThatThrownBy(() -> compiler.logFormat("%[nosuch]"))
                .hasMessage("failed to parse sample expression <nosuch]> : unknown fetch method 'nosuch'.");
        assertThatThrownBy(() -> compiler.logFormat("%[path,nosuchconv]"))
                .hasMessage("failed to parse sample expression <path,nosuchconv]> : unknown converter 'nosuchconv'.");
        assertThatThrownBy(() -> compiler.logFormat("%[path,word(x)]")).hasMessage("failed to parse sample expression"
                + " <path,word(x)]> : invalid arg 1 in converter 'word' : failed to parse 'x' as type 'integer' at position 1.");
        assertThatThrownBy(() -> compiler.logFormat("%[path(3)]")).hasMessage(
                "failed to parse sample expression <path(3)]> : fetch method 'path' : expected ')' before '3)]'.");
        assertThatThrownBy(() -> compiler.logFormat("%[path,lower(2)]")).hasMessage("failed to parse sample expression"
                + " <path,lower(2)]> : invalid arg 1 in converter 'lower' : expected ')' before '2)]'.");
        assertThatThrownBy(() -> compiler.logFormat("%[path")).hasMessage("missing ']' after 'path'.");
    }
}
