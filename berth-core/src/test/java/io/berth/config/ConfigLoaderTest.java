package io.berth.config;

import io.berth.Subsystems;
import io.berth.model.BackendSpec;
import io.berth.model.BalanceSpec;
import io.berth.model.BindSpec;
import io.berth.model.Config;
import io.berth.model.FrontendSpec;
import io.berth.model.HttpConnectionMode;
import io.berth.model.LogTargetSpec;
import io.berth.model.Mode;
import io.berth.model.ServerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {
    private static final String DEFAULTS = """
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            """;

    private static ConfigLoader.Result parse(String text) {
        return ConfigLoader.parse(Subsystems.keywords(), "t.cfg", text, Map.of("BE_PORT", "9002"));
    }

    private static Config ok(String text) {
        ConfigLoader.Result r = parse(text);
        assertThat(r.errors()).isEmpty();
        assertThat(r.ok()).isTrue();
        return r.config();
    }

    @Test
    void unknownKeywordSuggestsTheClosestOne() {
        assertThat(parse(DEFAULTS + "backend be\n    servr s1 127.0.0.1:80\n").texts()).containsExactly(
                "parsing [t.cfg:7] : unknown keyword 'servr' in 'backend' section; did you mean 'server' maybe ?");
        assertThat(parse("global\n    maxconnn 10\n").texts()).containsExactly(
                "parsing [t.cfg:2] : unknown keyword 'maxconnn' in 'global' section; did you mean 'maxconn' maybe ?");
        assertThat(parse(DEFAULTS + "backend be\n    $FOO s1 127.0.0.1:80\n").texts()).containsExactly(
                "parsing [t.cfg:7] : unknown keyword '$FOO' in 'backend' section");
    }

    @Test
    void everyErrorIsReportedWithItsLine() {
        ConfigLoader.Result r = parse(DEFAULTS + """
                backend be
                    timeout server 10x
                    server s1 127.0.0.1:99999
                    server s2 127.0.0.1:80 chek
                    server s3
                    balance foo
                    hash-type consistent md5
                    server s2 127.0.0.1:81
                frontend fe
                    bind 127.0.0.1:notaport
                    cookie SRVID insert
                """);
        assertThat(r.ok()).isFalse();
        assertThat(r.texts()).containsExactly(
                "parsing [t.cfg:7] : unexpected character 'x' in 'timeout server'",
                "[t.cfg:8] : 'server be/s1' : invalid port '99999'",
                "[t.cfg:9] : 'server be/s2' : unknown keyword 'chek'; did you mean 'check' maybe ?",
                "[t.cfg:10] : 'server' expects <name> and <addr>[:<port>] as arguments.",
                "parsing [t.cfg:11] : balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri',"
                        + " 'url_param', 'hdr(name)' and 'rdp-cookie(name)' options.",
                "parsing [t.cfg:12] : 'hash-type' only supports 'sdbm', 'djb2', 'crc32', or 'wt6' hash functions.",
                "parsing [t.cfg:15] : 'bind' : invalid character 'n' in port number 'notaport' in '127.0.0.1:notaport'",
                "parsing [t.cfg:16] : 'cookie' ignored because frontend 'fe' has no backend capability.");
    }

    @Test
    void duplicateServerNamesOnlyCountServersThatParsed() {
        assertThat(parse(DEFAULTS + """
                backend be
                    server s1 127.0.0.1:80
                    server s1 127.0.0.1:81
                    server s2 127.0.0.1:0x
                    server s2 127.0.0.1:82
                """).texts()).containsExactly(
                "parsing [t.cfg:8] : backend 'be', another server named 's1' was already defined at line 7,"
                        + " please use distinct names.",
                "[t.cfg:9] : 'server be/s2' : invalid character 'x' in port number '0x' in '127.0.0.1:0x'");
    }

    @Test
    void wrongSectionsAndAnonymousDefaults() {
        assertThat(parse(DEFAULTS + "    http-response set-header X y\n    server s1 127.0.0.1:80\n").texts())
                .containsExactly("parsing [t.cfg:6] : 'http-response' not allowed in anonymous 'defaults' section.",
                        "[t.cfg:7] : 'server' not allowed in 'defaults' section.");
        ConfigLoader.Result r = parse(DEFAULTS + """
                frontend fe
                    bind :8080
                    option redispatch
                    daemon
                    default_backend be
                backend be
                    server s1 127.0.0.1:80
                """);
        assertThat(r.texts()).containsExactly(
                "parsing [t.cfg:8] : 'redispatch' ignored because frontend 'fe' has no backend capability.",
                "parsing [t.cfg:9] : unknown keyword 'daemon' in 'frontend' section");
    }

    @Test
    void ignoredGlobalKeywordsWarn() {
        ConfigLoader.Result r = parse("global\n    daemon\n    chroot /var/empty\n    maxconn 500\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.texts()).containsExactly("parsing [t.cfg:2] : 'daemon' is ignored by Berth.",
                "parsing [t.cfg:3] : 'chroot' is ignored by Berth.");
        assertThat(r.config().global().maxconn()).isEqualTo(500);
    }

    @Test
    void postParseErrorsHaveNoLine() {
        assertThat(parse(DEFAULTS + "frontend fe\n    bind :80\n    default_backend nosuch\n").texts())
                .containsExactly("Proxy 'fe': unable to find required default_backend: 'nosuch'.");
    }

    @Test
    void missingTimeoutsWarnAsHaproxy() {
        ConfigLoader.Result r = parse("defaults\n    mode http\nlisten l\n    bind 127.0.0.1:80\n"
                + "    server s1 127.0.0.1:80\n");
        assertThat(r.ok()).isTrue();
        assertThat(r.texts()).containsExactly("""
                missing timeouts for proxy 'l'.
                   | While not properly invalid, you will certainly encounter various problems
                   | with such a configuration. To fix this, please ensure that all following
                   | timeouts are set to a non-zero value: 'client', 'connect', 'server'.""");
    }

    @Test
    void listenYieldsFrontendAndBackendSharingAnId() {
        Config c = ok(DEFAULTS + """
                frontend fe
                    bind 127.0.0.1:8080,[::1]:8081 name web
                    bind ipv6@:8443
                    bind *:9000-9001
                    default_backend be1
                backend be1
                    server s1 127.0.0.1:80
                listen li
                    bind :8090
                    server s1 127.0.0.1:80
                backend be2
                    id 10
                    server s1 127.0.0.1:80
                backend be3
                    server s1 127.0.0.1:80
                """);
        FrontendSpec fe = c.frontend("fe").orElseThrow();
        assertThat(fe.binds()).extracting(BindSpec::host, BindSpec::port).containsExactly(
                org.assertj.core.groups.Tuple.tuple("127.0.0.1", 8080), org.assertj.core.groups.Tuple.tuple("::1", 8081),
                org.assertj.core.groups.Tuple.tuple("", 8443), org.assertj.core.groups.Tuple.tuple("", 9000),
                org.assertj.core.groups.Tuple.tuple("", 9001));
        assertThat(fe.binds().get(0).options()).containsExactly("name", "web");
        FrontendSpec li = c.frontend("li").orElseThrow();
        assertThat(li.defaultBackend()).isEqualTo("li");
        // observed with haproxy 2.6 'show stat' iid: fe=1 be1=2 li=3 be2=10 (forced) be3=5
        assertThat(List.of(fe.id(), c.backend("be1").orElseThrow().id(), li.id(), c.backend("li").orElseThrow().id(),
                c.backend("be2").orElseThrow().id(), c.backend("be3").orElseThrow().id()))
                .containsExactly(1, 2, 3, 3, 10, 5);
        assertThat(c.frontends()).extracting(FrontendSpec::name).containsExactly("fe", "li");
    }

    @Test
    void namedDefaultsAndInheritance() {
        Config c = ok("""
                defaults base
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 7s
                    retries 5
                    option redispatch 2
                defaults tcpish from base
                    mode tcp
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                backend a from base
                    server s1 127.0.0.1:80
                backend b from tcpish
                    server s1 127.0.0.1:80
                backend c
                    server s1 127.0.0.1:80
                """);
        BackendSpec a = c.backend("a").orElseThrow();
        assertThat(a.mode()).isEqualTo(Mode.HTTP);
        assertThat(a.retries()).isEqualTo(5);
        assertThat(a.options().redispatch()).isTrue();
        assertThat(a.options().redispatchInterval()).isEqualTo(2);
        assertThat(a.timeouts().server()).isEqualTo(7000);
        BackendSpec b = c.backend("b").orElseThrow();
        assertThat(b.mode()).isEqualTo(Mode.TCP);
        assertThat(b.timeouts().connect()).isEqualTo(2000);
        BackendSpec cc = c.backend("c").orElseThrow();
        assertThat(cc.retries()).isEqualTo(3);
        assertThat(cc.options().redispatch()).isFalse();
        assertThat(cc.timeouts().connect()).isEqualTo(1000);
    }

    @Test
    void serversWithDefaultServerAndChecks() {
        Config c = ok(DEFAULTS + """
                backend be
                    default-server inter 500 fall 2 rise 4 weight 3
                    server s1 127.0.0.1:9001 check cookie c1
                    server s2 "127.0.0.1:${BE_PORT}" weight 7 backup maxconn 10 disabled id 42 inter 1s fastinter 200 downinter 3s port 81 addr 10.0.0.1
                    server s3 localhost
                """);
        List<ServerSpec> s = c.backend("be").orElseThrow().servers();
        assertThat(s.get(0)).isEqualTo(new ServerSpec("s1", new io.berth.model.Location("t.cfg", 8), 1, false,
                "127.0.0.1", 9001, 3, false, 0, false, "c1",
                new io.berth.model.CheckSpec(true, 500, 500, 500, 4, 2, 0, null)));
        ServerSpec s2 = s.get(1);
        assertThat(List.of(s2.port(), s2.weight(), s2.maxconn(), s2.id())).containsExactly(9002, 7, 10, 42);
        assertThat(s2.backup() && s2.disabled() && s2.idForced()).isTrue();
        assertThat(s2.check()).isEqualTo(new io.berth.model.CheckSpec(false, 1000, 200, 3000, 4, 2, 81, "10.0.0.1"));
        assertThat(s.get(2).port()).isZero();
        assertThat(s.get(2).id()).isEqualTo(3);
    }

    @Test
    void balanceAndHashType() {
        Config c = ok(DEFAULTS + """
                backend a
                    balance source
                    hash-type consistent
                backend b
                    balance uri whole len 10 depth 2
                    hash-type map-based djb2 avalanche
                backend c
                    balance hdr(Host) use_domain_only
                backend d
                    balance random(3)
                backend e
                    balance url_param userid
                    hash-type consistent wt6
                """);
        assertThat(c.backend("a").orElseThrow().balance()).isEqualTo(new BalanceSpec(BalanceSpec.Algorithm.SOURCE,
                null, false, 0, 0, false, BalanceSpec.HashType.CONSISTENT, BalanceSpec.HashFunction.SDBM, true));
        assertThat(c.backend("b").orElseThrow().balance()).isEqualTo(new BalanceSpec(BalanceSpec.Algorithm.URI,
                null, true, 10, 2, false, BalanceSpec.HashType.MAP_BASED, BalanceSpec.HashFunction.DJB2, true));
        assertThat(c.backend("c").orElseThrow().balance().argument()).isEqualTo("Host");
        assertThat(c.backend("c").orElseThrow().balance().hdrUseDomainOnly()).isTrue();
        assertThat(c.backend("d").orElseThrow().balance().argument()).isEqualTo("3");
        BalanceSpec e = c.backend("e").orElseThrow().balance();
        assertThat(List.of(e.algorithm(), e.argument(), e.hashFunction(), e.avalanche()))
                .containsExactly(BalanceSpec.Algorithm.URL_PARAM, "userid", BalanceSpec.HashFunction.WT6, false);
    }

    @Test
    void routingOptionsRulesAndLogs() {
        Config c = ok("""
                global
                    log 127.0.0.1:514 local0 info
                    log stdout format raw local1
                    stats socket /tmp/berth.sock mode 600 level admin user haproxy
                    stats timeout 30s
                """ + DEFAULTS + """
                    option forwardfor except 127.0.0.0/8 header X-Client if-none
                    option httplog
                    log global
                frontend fe
                    bind :80
                    no option httplog
                    option http-server-close
                    acl is_api path_beg /api
                    use_backend api if is_api
                    use_backend other unless { src 10.0.0.0/8 }
                    http-request set-header X-Fwd "%[src] x"
                    http-response del-header Server if is_api
                    default_backend api
                backend api
                    server s1 127.0.0.1:80
                backend other
                    server s1 127.0.0.1:80
                """);
        FrontendSpec fe = c.frontend("fe").orElseThrow();
        assertThat(fe.options().httpLog()).isFalse();
        assertThat(fe.options().forwardForExceptNetwork()).isEqualTo("127.0.0.0/8");
        assertThat(fe.options().forwardForHeader()).isEqualTo("X-Client");
        assertThat(fe.options().forwardForIfNone()).isTrue();
        assertThat(fe.options().connectionMode()).isEqualTo(HttpConnectionMode.SERVER_CLOSE);
        assertThat(fe.useBackends().get(0).condition().words()).containsExactly("is_api");
        assertThat(fe.useBackends().get(1).condition().unless()).isTrue();
        assertThat(fe.useBackends().get(1).condition().words()).containsExactly("{", "src", "10.0.0.0/8", "}");
        assertThat(fe.httpRequestRules().get(0).args()).containsExactly("X-Fwd", "%[src] x");
        assertThat(fe.httpRequestRules().get(0).condition()).isNull();
        assertThat(fe.httpResponseRules().get(0).action()).isEqualTo("del-header");
        assertThat(fe.logs()).extracting(LogTargetSpec::kind, LogTargetSpec::host, LogTargetSpec::port,
                LogTargetSpec::format, LogTargetSpec::facility, LogTargetSpec::level).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LogTargetSpec.Kind.UDP, "127.0.0.1", 514, "rfc3164", "local0", "info"),
                org.assertj.core.groups.Tuple.tuple(LogTargetSpec.Kind.STDOUT, null, 0, "raw", "local1", null));
        assertThat(c.global().statsSockets().get(0).mode()).isEqualTo(0600);
        assertThat(c.global().statsSockets().get(0).level()).isEqualTo("admin");
        assertThat(c.global().statsTimeoutMs()).isEqualTo(30_000);
        // the CLI's internal proxy takes id 1 when a stats socket exists (observed)
        assertThat(fe.id()).isEqualTo(2);
    }

    @Test
    void httpCheckForms() {
        ConfigLoader.Result r = parse(DEFAULTS + """
                backend old
                    option httpchk GET /health "HTTP/1.1\\r\\nHost: example.com"
                    server s1 127.0.0.1:80 check
                backend new
                    option httpchk
                    http-check send meth POST uri /check ver HTTP/1.1 hdr Host h.example body '{"ping":1}'
                    http-check expect ! string down
                    server s1 127.0.0.1:80 check
                """);
        assertThat(r.texts()).containsExactly("parsing [t.cfg:7] : 'option httpchk' : hiding headers or body at the"
                + " end of the version string is deprecated. Please, consider to use 'http-check send' directive"
                + " instead.");
        var old = r.config().backend("old").orElseThrow().httpCheck();
        assertThat(List.of(old.method(), old.uri(), old.version())).containsExactly("GET", "/health", "HTTP/1.1");
        assertThat(old.headers()).containsExactly("Host: example.com");
        var nw = r.config().backend("new").orElseThrow().httpCheck();
        assertThat(List.of(nw.method(), nw.uri(), nw.version(), nw.body())).containsExactly("POST", "/check",
                "HTTP/1.1", "{\"ping\":1}");
        assertThat(nw.headers()).containsExactly("Host: h.example");
        assertThat(nw.expect()).containsExactly(List.of("!", "string", "down"));
    }

    @Test
    void peersSection() {
        Config c = ok("""
                peers mypeers
                    peer hapA 127.0.0.1:10001
                    peer hapB 127.0.0.2:10002
                peers new
                    bind 127.0.0.1:10003
                    server local
                    server remote 10.0.0.2:10003
                """);
        assertThat(c.peers().get(0).peers()).extracting(p -> p.name() + "@" + p.host() + ":" + p.port())
                .containsExactly("hapA@127.0.0.1:10001", "hapB@127.0.0.2:10002");
        assertThat(c.peers().get(1).peers()).extracting(p -> p.name() + "@" + p.host() + ":" + p.port())
                .containsExactly("local@127.0.0.1:10003", "remote@10.0.0.2:10003");
        // table lines: PeersTableTest
        ConfigLoader.Result withTable = parse("peers p\n    table t type ip size 1k\n");
        assertThat(withTable.texts()).isEmpty();
        assertThat(withTable.config().peers().get(0).tables()).extracting(t -> t.name()).containsExactly("p/t");
    }

    @Test
    void severalFilesInOrder(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one.cfg");
        Path two = dir.resolve("two.cfg");
        Files.writeString(one, DEFAULTS + "frontend fe\n    bind :80\n    default_backend be\n");
        Files.writeString(two, "backend be\n    server s1 127.0.0.1:80\n    bogus\n");
        ConfigLoader.Result r = ConfigLoader.load(Subsystems.keywords(), List.of(one, two));
        assertThat(r.texts()).containsExactly("parsing [" + two + ":3] : unknown keyword 'bogus' in 'backend' section");
        Files.writeString(two, "backend be\n    server s1 127.0.0.1:80\n");
        Config c = ConfigLoader.load(Subsystems.keywords(), List.of(one, two)).config();
        assertThat(c.frontend("fe").orElseThrow().defaultBackend()).isEqualTo("be");
        assertThat(c.backend("be").orElseThrow().mode()).isEqualTo(Mode.HTTP);
    }

    @Test
    void listKeywordsShowsEveryKeywordWithUsage() {
        String listing = Subsystems.keywords().listing();
        assertThat(listing).contains("    server <name> <addr>[:<port>] [param*]\n",
                "    timeout connect <timeout>\n", "    cookie <name> [rewrite|insert|prefix] [indirect] [nocache]",
                "    check\n");
        assertThat(listing).containsPattern("(?m)^  accepted with a warning and ignored: .*\\bdaemon\\b")
                .containsPattern("(?m)^  HAProxy keywords not yet supported \\(an error\\): .*\\blua-load\\b");
    }
}
