package io.berth.api;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.config.StatsKeywords;
import io.berth.model.HttpRuleSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code stats} proxy keywords and {@code http-request use-service}: what they build and HAProxy's errors. */
class StatsKeywordsTest {
    static ConfigLoader.Result parse(String proxyLines) {
        return ConfigLoader.parse(Subsystems.keywords(), "s.cfg", """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                frontend web
                    bind 127.0.0.1:18050
                """ + proxyLines);
    }

    @Test
    void statsLinesBecomeOneServiceRuleAfterTheOthers() {
        ConfigLoader.Result r = parse("""
                    stats enable
                    stats uri /admin?stats
                    http-request deny if { path /x }
                    stats refresh 10s
                    stats auth admin:one
                    stats auth ops:two
                    stats realm Ops
                    stats hide-version
                """);
        assertThat(r.ok()).as(r.texts().toString()).isTrue();
        List<HttpRuleSpec> rules = r.config().frontends().get(0).httpRequestRules();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).action()).isEqualTo("deny");
        HttpRuleSpec stats = rules.get(1);
        assertThat(stats.action()).isEqualTo("use-service");
        assertThat(stats.args()).containsExactly(StatsKeywords.SERVICE, "uri", "/admin?stats", "refresh", "10",
                "auth", "admin:one", "auth", "ops:two", "realm", "Ops", "hide-version", "1");
        assertThat(stats.condition().words()).containsExactly("{", "url_beg", "/admin?stats", "}");
    }

    @Test
    void statsEnableAloneServesHaproxysDefaultUri() {
        ConfigLoader.Result r = parse("    stats enable\n");
        HttpRuleSpec stats = r.config().frontends().get(0).httpRequestRules().get(0);
        assertThat(stats.args()).containsExactly(StatsKeywords.SERVICE, "uri", "/haproxy?stats");
    }

    @Test
    void errorsAreHaproxys() {
        assertThat(String.join("\n", parse("    stats uri\n").texts())).contains("'uri' needs an URI prefix.");
        assertThat(String.join("\n", parse("    stats auth nocolon\n").texts()))
                .contains("'auth' needs a user:password account.");
        assertThat(String.join("\n", parse("    http-request use-service foo\n").texts()))
                .contains("error detected in frontend 'web' while parsing 'http-request use-service' rule :"
                        + " 'foo' unknown service name.");
        assertThat(String.join("\n", parse("    http-request use-service\n").texts()))
                .contains("'use-service' expects a service name.");
        ConfigLoader.Result ok = parse("    http-request use-service prometheus-exporter if { path /metrics }\n");
        assertThat(ok.ok()).as(ok.texts().toString()).isTrue();
    }
}
