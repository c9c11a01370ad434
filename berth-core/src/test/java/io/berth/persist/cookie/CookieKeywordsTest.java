package io.berth.persist.cookie;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.model.BackendSpec;
import io.berth.model.CookieSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code cookie}, {@code dynamic-cookie-key}, {@code force-persist}/{@code ignore-persist} lines (§1.1). */
class CookieKeywordsTest {
    private static final String HEAD = "defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n"
            + "    timeout server 1s\n";

    private static ConfigLoader.Result load(Path dir, String body) throws Exception {
        Path f = dir.resolve("h.cfg");
        Files.writeString(f, HEAD + body);
        return ConfigLoader.load(Subsystems.keywords(), List.of(f));
    }

    @Test
    void parsesEveryOption(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ConfigLoader.Result r = load(dir, "backend be\n    cookie SRVID insert indirect nocache postonly preserve"
                + " httponly secure domain .a.com domain .b.org maxidle 30m maxlife 8h dynamic attr \"SameSite=Lax\""
                + "\n    dynamic-cookie-key K\n    force-persist if { hdr(x-force) 1 }\n"
                + "    ignore-persist unless { src 127.0.0.1 }\n    server s1 127.0.0.1:80 cookie c1\n");
        assertThat(r.texts()).isEmpty();
        BackendSpec be = r.config().backend("be").orElseThrow();
        CookieSpec c = be.cookie();
        assertThat(c.mode()).isEqualTo(CookieSpec.Mode.INSERT);
        assertThat(List.of(c.indirect(), c.nocache(), c.postOnly(), c.preserve(), c.httpOnly(), c.secure(),
                c.dynamic())).containsOnly(true);
        assertThat(c.domains()).containsExactly(".a.com", ".b.org");
        assertThat(c.attributes()).containsExactly("SameSite=Lax");
        assertThat(c.maxIdle()).isEqualTo(1800);
        assertThat(c.maxLife()).isEqualTo(28800);
        assertThat(be.dynamicCookieKey()).isEqualTo("K");
        assertThat(be.persistRules()).extracting(x -> x.force() + ":" + x.condition().unless())
                .containsExactly("true:false", "false:true");
        assertThat(be.servers().get(0).cookie()).isEqualTo("c1");
    }

    @Test
    void inheritsFromDefaults(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("h.cfg");
        Files.writeString(f, HEAD + "    cookie SRVID insert\nbackend be\n    server s1 127.0.0.1:80\n");
        ConfigLoader.Result r = ConfigLoader.load(Subsystems.keywords(), List.of(f));
        assertThat(r.config().backend("be").orElseThrow().cookie().name()).isEqualTo("SRVID");
    }

    @Test
    void reportsHaproxysErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String p = "parsing [" + dir.resolve("h.cfg") + ":7] : ";
        String t = "parsing [" + dir.resolve("h.cfg") + ":7]: ";
        assertThat(load(dir, "backend be\n    cookie\n").texts()).containsExactly(p
                + "'cookie' expects <cookie_name> as argument.");
        assertThat(load(dir, "backend be\n    cookie S bogus\n").texts()).containsExactly(p + "'cookie' supports"
                + " 'rewrite', 'insert', 'prefix', 'indirect', 'nocache', 'postonly', 'domain', 'maxidle', 'dynamic',"
                + " 'maxlife' and 'attr' options.");
        assertThat(load(dir, "backend be\n    cookie S insert rewrite\n").texts()).containsExactly(p
                + "cookie 'rewrite', 'insert' and 'prefix' modes are incompatible.");
        assertThat(load(dir, "backend be\n    cookie S rewrite indirect\n").texts()).containsExactly(p
                + "cookie 'rewrite' and 'indirect' modes are incompatible.");
        assertThat(load(dir, "backend be\n    cookie S preserve\n").texts()).containsExactly(p
                + "cookie 'preserve' requires at least 'insert' or 'indirect'.");
        assertThat(load(dir, "backend be\n    cookie S insert maxidle 3x\n").texts()).containsExactly(t
                + "unexpected character 'x' in argument to <maxidle>.");
        assertThat(load(dir, "backend be\n    cookie S insert maxlife\n").texts()).containsExactly(t
                + "'maxlife' expects <lifetime> in seconds as argument.");
        assertThat(load(dir, "backend be\n    force-persist { hdr(x) 1 }\n").texts()).containsExactly(p
                + "'force-persist' requires either 'if' or 'unless' followed by a condition.");
        assertThat(load(dir, "backend be\n    dynamic-cookie-key\n").texts()).containsExactly(p
                + "'dynamic-cookie-key' expects <secret_key> as argument.");
    }
}
