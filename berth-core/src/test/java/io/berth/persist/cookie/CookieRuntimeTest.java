package io.berth.persist.cookie;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.config.Diagnostic;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeBuildException;
import io.berth.runtime.RuntimeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Cookie persistence as the runtime builder makes it: compiled once per backend and carried by
 * {@link RuntimeBackend#cookie()}, persist-rule conditions that do not compile reported at their own lines in
 * HAProxy 2.6's words (captured from {@code haproxy -c}).
 */
class CookieRuntimeTest {
    private static final String HEAD = "defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n"
            + "    timeout server 1s\n";

    private static Runtime build(Path dir, String body) throws Exception {
        Path f = dir.resolve("h.cfg");
        Files.writeString(f, HEAD + body);
        ConfigLoader.Result r = ConfigLoader.load(Subsystems.keywords(), List.of(f));
        assertThat(r.texts()).isEmpty();
        return RuntimeBuilder.build(r.config(), null);
    }

    @Test
    void backendCarriesItsCompiledCookiePersistence(@TempDir Path dir) throws Exception {
        Runtime rt = build(dir, "backend be\n    cookie SRVID insert indirect\n"
                + "    force-persist if { hdr(x-force) 1 }\n    server s1 127.0.0.1:80 cookie c1\n"
                + "    server s2 127.0.0.1:81\nbackend none\n    server s1 127.0.0.1:80\n");
        RuntimeBackend be = rt.backend("be");
        assertThat(be.cookie()).isNotNull();
        assertThat(be.cookie().spec().name()).isEqualTo("SRVID");
        assertThat(be.cookie().cookieOf(be.servers().byName("s1"))).isEqualTo("c1");
        assertThat(be.cookie().cookieOf(be.servers().byName("s2"))).isNull();
        assertThat(be.persistRules().isEmpty()).isFalse();
        assertThat(rt.backend("none").cookie()).isNull();
        assertThat(rt.backend("none").persistRules()).isSameAs(PersistRules.NONE);
    }

    @Test
    void brokenPersistConditionsAreReportedAtTheirLines(@TempDir Path dir) throws Exception {
        RuntimeBuildException e = catchThrowableOfType(RuntimeBuildException.class, () -> build(dir,
                "backend be\n    cookie SRVID insert\n    force-persist if { nosuchfetch(x) 1 }\n"
                        + "    ignore-persist unless undefined_acl\n    server s1 127.0.0.1:8001 cookie c1\n"));
        assertThat(e).isNotNull();
        assertThat(e.diagnostics()).extracting(Diagnostic::text).containsExactly(
                "parsing [" + dir.resolve("h.cfg") + ":8] : error detected while parsing a 'force-persist' rule :"
                        + " unknown fetch method 'nosuchfetch' in ACL expression 'nosuchfetch(x)'.",
                "parsing [" + dir.resolve("h.cfg") + ":9] : error detected while parsing a 'ignore-persist' rule :"
                        + " no such ACL : 'undefined_acl'.");
    }
}
