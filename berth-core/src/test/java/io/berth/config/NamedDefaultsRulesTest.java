package io.berth.config;

import io.berth.Subsystems;
import io.berth.model.HttpRuleSpec;
import io.berth.runtime.RuntimeBuildException;
import io.berth.runtime.RuntimeBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP rules in a named defaults section, as HAProxy 2.6 parses them: they run in the sections that inherit the
 * defaults, with the defaults' ACLs (not the section's), and the section's own rules do not see those ACLs. The
 * messages are HAProxy's (checked with {@code haproxy -c}; {@link HaproxyDifferentialTest} compares the limits).
 */
class NamedDefaultsRulesTest {
    private static final String TIMEOUTS = "    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n";

    private static ConfigLoader.Result parse(String text) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", text);
    }

    @Test
    void inheritedRulesNameTheDefaultsAcls() throws Exception {
        ConfigLoader.Result r = parse("defaults d\n    mode http\n" + TIMEOUTS + "    acl bad path /x\n"
                + "    http-request deny if bad\n    http-response set-header x-d 1 if bad\n"
                + "backend be from d\n    acl bad path /y\n    http-request deny if bad\n    server s1 127.0.0.1:80\n");
        assertThat(r.texts()).isEmpty();
        var rules = r.config().backend("be").orElseThrow().httpRequestRules();
        // the defaults' rule first, bound to the defaults' 'bad'; the section's own to its own
        assertThat(rules).extracting(HttpRuleSpec::location).extracting(l -> l.line()).containsExactly(7, 11);
        assertThat(rules.get(0).condition().acls()).extracting(a -> a.words()).containsExactly(
                java.util.List.of("path", "/x"));
        assertThat(rules.get(1).condition().acls()).isNull();
        assertThat(r.config().backend("be").orElseThrow().httpResponseRules().get(0).condition().acls())
                .hasSize(1);
        assertThat(RuntimeBuilder.build(r.config(), null)).isNotNull();
    }

    @Test
    void aSectionsOwnRuleDoesNotSeeTheDefaultsAcls() {
        ConfigLoader.Result r = parse("defaults d\n    mode http\n" + TIMEOUTS + "    acl bad path /x\n"
                + "backend be from d\n    http-request deny if bad\n    server s1 127.0.0.1:80\n");
        assertThat(r.texts()).isEmpty();
        assertThatThrownBy(() -> RuntimeBuilder.build(r.config(), null)).isInstanceOfSatisfying(
                RuntimeBuildException.class, e -> assertThat(e.diagnostics()).extracting(Diagnostic::text)
                        .containsExactly("parsing [t.cfg:8] : error detected while parsing an 'http-request deny'"
                                + " condition : no such ACL : 'bad'."));
    }

    /**
     * HAProxy resolves an ACL name when it reads the rule: one declared below its first use is unknown there
     * ({@code haproxy -c} refuses it, same message), while further lines of a name already seen extend it.
     */
    @Test
    void anAclDeclaredBelowItsUseIsUnknownThere() {
        ConfigLoader.Result r = parse("defaults\n    mode http\n" + TIMEOUTS + "backend be\n"
                + "    acl a path /a\n    http-request deny if a\n    acl a path /b\n"
                + "    http-request deny if b\n    acl b path /c\n    server s1 127.0.0.1:80\n");
        assertThat(r.texts()).isEmpty();
        assertThatThrownBy(() -> RuntimeBuilder.build(r.config(), null)).isInstanceOfSatisfying(
                RuntimeBuildException.class, e -> assertThat(e.diagnostics()).extracting(Diagnostic::text)
                        .containsExactly("parsing [t.cfg:10] : error detected while parsing an 'http-request deny'"
                                + " condition : no such ACL : 'b'."));
    }

    @Test
    void aDefaultsWithRulesInheritedByAnotherDefaultsStopsTheReading() {
        ConfigLoader.Result r = parse("defaults d\n    mode http\n    http-request deny if { path /x }\n"
                + "defaults e from d\nbackend be\n    servr s1\n");
        assertThat(r.aborted()).isTrue();
        assertThat(r.ok()).isFalse();
        // the unknown keyword after it is never read
        assertThat(r.texts()).containsExactly("parsing [t.cfg:4]: a defaults section cannot inherit from a defaults"
                + " section defining TCP/HTTP rules (defaults section at t.cfg:1).");
    }

    @Test
    void aDefaultsUsedByNameAndImplicitlyIsAnAlertThatOnlyWarns() {
        ConfigLoader.Result r = parse("defaults d\n    mode http\n" + TIMEOUTS + "backend be from d\n"
                + "    server s1 127.0.0.1:80\nfrontend fe\n    bind 127.0.0.1:18995\n    default_backend be\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Diagnostic.Severity.ALERT_WARN);
            assertThat(d.format(7)).startsWith("[ALERT]    (7) : config : parsing [t.cfg:8] : defaults section 'd'");
        });
    }
}
