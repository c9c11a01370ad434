package io.berth.config;

import io.berth.Subsystems;
import io.berth.model.FrontendSpec;
import io.berth.model.TcpRuleSpec;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBuildException;
import io.berth.runtime.RuntimeBuilder;
import io.berth.runtime.TcpRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code tcp-request}: the rules in the model, compiled by the runtime, and the errors with file:line. */
class TcpRequestKeywordsTest {
    private static final String DEFAULTS = """
            defaults
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            """;

    private static ConfigLoader.Result parse(String body) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", DEFAULTS + body);
    }

    private static final String RATE_LIMIT = """
            frontend fe
                bind 127.0.0.1:18400
                stick-table type ip size 100k expire 30s store conn_cur,conn_rate(10s),gpc0
                tcp-request connection track-sc0 src
                tcp-request connection reject if { sc_conn_rate(0) gt 5 }
                tcp-request session accept
                tcp-request inspect-delay 5s
                tcp-request content track-sc1 src table be_tab
                tcp-request content sc-inc-gpc0(1) unless { src 10.0.0.0/8 }
                tcp-request content accept if { src 127.0.0.0/8 }
                default_backend be
            backend be_tab
                stick-table type ip size 1k store gpc0
            backend be
                server s1 127.0.0.1:80
            """;

    @Test
    void rulesLandInTheModelInOrder() {
        ConfigLoader.Result r = parse(RATE_LIMIT);
        assertThat(r.texts()).isEmpty();
        FrontendSpec fe = r.config().frontend("fe").orElseThrow();
        assertThat(fe.tcpInspectDelay()).isEqualTo(5000);
        assertThat(fe.tcpRequestRules()).extracting(TcpRuleSpec::phase, TcpRuleSpec::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TcpRuleSpec.Phase.CONNECTION, "track-sc0"),
                org.assertj.core.groups.Tuple.tuple(TcpRuleSpec.Phase.CONNECTION, "reject"),
                org.assertj.core.groups.Tuple.tuple(TcpRuleSpec.Phase.SESSION, "accept"),
                org.assertj.core.groups.Tuple.tuple(TcpRuleSpec.Phase.CONTENT, "track-sc1"),
                org.assertj.core.groups.Tuple.tuple(TcpRuleSpec.Phase.CONTENT, "sc-inc-gpc0(1)"),
                org.assertj.core.groups.Tuple.tuple(TcpRuleSpec.Phase.CONTENT, "accept"));
        TcpRuleSpec track = fe.tcpRequestRules().get(3);
        assertThat(track.args()).containsExactly("src", "table", "be_tab");
        assertThat(track.condition()).isNull();
        assertThat(track.location().line()).isEqualTo(12);
        TcpRuleSpec inc = fe.tcpRequestRules().get(4);
        assertThat(inc.condition().unless()).isTrue();
        assertThat(inc.condition().words()).containsExactly("{", "src", "10.0.0.0/8", "}");
        assertThat(fe.tcpRequestRules(TcpRuleSpec.Phase.CONNECTION)).hasSize(2);
    }

    @Test
    void runtimeCompilesEachPhase() throws Exception {
        Runtime rt = RuntimeBuilder.build(parse(RATE_LIMIT).config(), null);
        TcpRules rules = rt.frontend("fe").tcpRules();
        assertThat(rules.rules(TcpRuleSpec.Phase.CONNECTION)).extracting(TcpRules.Rule::action)
                .containsExactly(TcpRules.Verdict.CONTINUE, TcpRules.Verdict.REJECT);
        assertThat(rules.rules(TcpRuleSpec.Phase.CONTENT).get(0).stick().table()).isEqualTo("be_tab");
        assertThat(rules.rules(TcpRuleSpec.Phase.CONNECTION).get(0).stick().table()).isEqualTo("fe");
        assertThat(rules.rules(TcpRuleSpec.Phase.CONTENT).get(1).stick().slot()).isEqualTo(1);
        assertThat(rules.inspectDelay()).isEqualTo(5000);
        assertThat(rules.has(TcpRuleSpec.Phase.SESSION)).isTrue();
    }

    @Test
    void aBackendHasItsOwnContentRulesAndAListenRunsItsOnceAsAFrontend() throws Exception {
        ConfigLoader.Result r = parse("""
                frontend fe
                    bind :80
                    default_backend be
                backend be
                    stick-table type ip size 1k store gpc0
                    tcp-request inspect-delay 2s
                    tcp-request content track-sc2 src
                    tcp-request content reject if { sc2_get_gpc0 gt 1 }
                    server s1 127.0.0.1:80
                listen app
                    bind :81
                    tcp-request content reject if { src 10.0.0.0/8 }
                    server s1 127.0.0.1:80
                """);
        assertThat(r.texts()).isEmpty();
        io.berth.model.BackendSpec be = r.config().backend("be").orElseThrow();
        assertThat(be.tcpInspectDelay()).isEqualTo(2000);
        assertThat(be.tcpRequestRules()).extracting(TcpRuleSpec::action).containsExactly("track-sc2", "reject");
        assertThat(r.config().backend("app").orElseThrow().tcpRequestRules()).isEmpty();
        assertThat(r.config().frontend("app").orElseThrow().tcpRequestRules()).hasSize(1);
        Runtime rt = RuntimeBuilder.build(r.config(), null);
        TcpRules rules = rt.backend("be").tcpRules();
        assertThat(rules.rules(TcpRuleSpec.Phase.CONTENT).get(0).stick().table()).isEqualTo("be");
        assertThat(rules.rules(TcpRuleSpec.Phase.CONTENT).get(1).action()).isEqualTo(TcpRules.Verdict.REJECT);
    }

    /** HAProxy 2.6's limits on a defaults section with rules, with its messages. */
    @Test
    void aDefaultsSectionWithRulesServesFrontendsOrBackends() {
        String rules = "defaults d\n    tcp-request content reject if { src 10.0.0.0/8 }\n";
        assertThat(parse(rules + "frontend fe from d\n    bind :80\nbackend be from d\n").texts())
                .containsExactly("parsing [t.cfg:9]: frontends and backends cannot inherit from the same defaults"
                        + " section if it defines TCP/HTTP rules (defaults section at t.cfg:5).");
        assertThat(parse(rules + "listen app from d\n    bind :80\n").texts())
                .containsExactly("parsing [t.cfg:7]: a listen section cannot inherit from a defaults section"
                        + " defining TCP/HTTP rules.");
        assertThat(parse(rules + "defaults e from d\n").texts())
                .containsExactly("parsing [t.cfg:7]: a defaults section cannot inherit from a defaults section"
                        + " defining TCP/HTTP rules (defaults section at t.cfg:5).");
        assertThat(parse("defaults d\n    tcp-request connection reject if { src 10.0.0.0/8 }\n"
                + "backend be\n").texts())
                .containsExactly("parsing [t.cfg:7]: a backend section cannot inherit from a defaults section"
                        + " defining 'tcp-request connection' or 'tcp-request session' rules (defaults section at"
                        + " t.cfg:5).");
        // two frontends may share it, and its rules come first
        ConfigLoader.Result ok = parse("defaults d\n    timeout connect 1s\n    timeout client 5s\n"
                + "    timeout server 5s\n    tcp-request content reject if { src 10.0.0.0/8 }\n"
                + "frontend a\n    bind :80\n    tcp-request content accept\nfrontend b\n    bind :81\n");
        assertThat(ok.texts()).isEmpty();
        assertThat(ok.config().frontend("a").orElseThrow().tcpRequestRules()).extracting(TcpRuleSpec::action,
                TcpRuleSpec::defaults).containsExactly(org.assertj.core.groups.Tuple.tuple("reject", "d"),
                org.assertj.core.groups.Tuple.tuple("accept", null));
        assertThat(ok.config().frontend("b").orElseThrow().tcpRequestRules()).hasSize(1);
    }

    @Test
    void unsupportedActionsAreErrorsWithFileAndLine() {
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request connection expect-proxy layer4\n").texts())
                .containsExactly("parsing [t.cfg:7] : 'tcp-request connection expect-proxy' is not supported by"
                        + " Berth (supported: " + TcpRequestKeywords.SUPPORTED + ").");
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request content set-var(txn.x) src\n").texts())
                .containsExactly("parsing [t.cfg:7] : 'tcp-request content set-var(txn.x)' is not supported by"
                        + " Berth (supported: " + TcpRequestKeywords.SUPPORTED + ").");
        assertThat(parse("frontend fe\n    bind :80\n\n    tcp-request content silent-drop\n").texts())
                .containsExactly("parsing [t.cfg:8] : 'tcp-request content silent-drop' is not supported by"
                        + " Berth (supported: " + TcpRequestKeywords.SUPPORTED + ").");
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request session capture src len 10\n").texts())
                .hasSize(1).first().asString().startsWith("parsing [t.cfg:7] : 'tcp-request session capture'");
    }

    @Test
    void haproxyMessages() {
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request\n").texts())
                .containsExactly("parsing [t.cfg:7] : missing argument for 'tcp-request' in frontend 'fe'");
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request foo accept\n").texts())
                .containsExactly("parsing [t.cfg:7] : 'tcp-request' expects 'inspect-delay', 'connection', or"
                        + " 'content' in frontend 'fe' (got 'foo')");
        assertThat(parse("backend be\n    tcp-request connection reject\n").texts())
                .containsExactly("parsing [t.cfg:6] : tcp-request connection is not allowed because backend be is"
                        + " not a frontend");
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request connection track-sc3 src\n").texts())
                .containsExactly("parsing [t.cfg:7] : 'tcp-request connection track-sc3' : invalid stick table"
                        + " track ID '3'. The max allowed ID is 2");
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request content track-sc0\n").texts())
                .containsExactly("parsing [t.cfg:7] : 'tcp-request content track-sc0' : missing fetch method");
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request content reject foo\n").texts())
                .containsExactly("parsing [t.cfg:7] : 'tcp-request content reject' only accepts 'if' or 'unless',"
                        + " in frontend 'fe' (got 'foo')");
        assertThat(parse("frontend fe\n    bind :80\n    tcp-request inspect-delay\n").texts())
                .containsExactly("parsing [t.cfg:7] : 'tcp-request inspect-delay' expects a positive delay in"
                        + " milliseconds, in frontend 'fe'");
        assertThat(parse("defaults\n    tcp-request inspect-delay 1s\n").texts())
                .containsExactly("parsing [t.cfg:6] : tcp-request inspect-delay is not allowed in anonymous"
                        + " 'defaults' sections");
    }

    @Test
    void trackScOfAMissingTableFailsTheBuild() {
        ConfigLoader.Result r = parse("frontend fe\n    bind :80\n    tcp-request connection track-sc0 src\n");
        assertThat(r.texts()).isEmpty();
        assertThatThrownBy(() -> RuntimeBuilder.build(r.config(), null))
                .isInstanceOfSatisfying(RuntimeBuildException.class, e -> assertThat(e.diagnostics().toString())
                        .contains("t.cfg:7").contains("unable to find table 'fe' referenced by track-sc0"));
    }
}
