package io.berth.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLexerTest {
    private static final Map<String, String> ENV = Map.of("PORT", "8080", "NAME", "a b");

    private static List<String> words(String line) {
        ConfigLexer.Line l = ConfigLexer.split(line, ENV::get);
        assertThat(l.error()).isNull();
        return l.words();
    }

    @Test
    void splitsOnBlanksAndStopsAtComments() {
        assertThat(words("  server  s1\t127.0.0.1:80   # a comment")).containsExactly("server", "s1", "127.0.0.1:80");
        assertThat(words("# only a comment")).isEmpty();
        assertThat(words("")).isEmpty();
    }

    @Test
    void quotesKeepBlanksAndJoinWithNeighbours() {
        assertThat(words("a 'b c' \"d e\" x'y'z")).containsExactly("a", "b c", "d e", "xyz");
        assertThat(words("'#not a comment' \"# nor this\"")).containsExactly("#not a comment", "# nor this");
        assertThat(words("''")).containsExactly("");
    }

    @Test
    void backslashEscapesOutsideSingleQuotes() {
        assertThat(words("a\\ b \\\\ \\# \\\" \\'")).containsExactly("a b", "\\", "#", "\"", "'");
        assertThat(words("\"t\\tn\\nr\\r\" \\x41\\x7a")).containsExactly("t\tn\nr\r", "Az");
        assertThat(words("'a\\tb'")).containsExactly("a\\tb");
        assertThat(words("re\\1")).containsExactly("re\\1");
    }

    @Test
    void environmentExpandsOnlyInsideDoubleQuotes() {
        assertThat(words("\"$PORT\" \"${PORT}x\" \"${NAME}\"")).containsExactly("8080", "8080x", "a b");
        assertThat(words("$PORT '${PORT}'")).containsExactly("$PORT", "${PORT}");
        assertThat(words("\"${NOPE}\" \"${NOPE-dflt}\" \"${PORT-dflt}\" \"\\$PORT\""))
                .containsExactly("", "dflt", "8080", "$PORT");
    }

    @Test
    void errorsAreWordedAsHaproxy() {
        assertThat(ConfigLexer.split("bind \"127.0.0.1:80", ENV::get).error()).isEqualTo("unmatched quote at position 6");
        assertThat(ConfigLexer.split("x \\xZZ", ENV::get).error())
                .isEqualTo("truncated or invalid hexadecimal sequence at position 3");
        assertThat(ConfigLexer.split("x \"${PORT\"", ENV::get).error())
                .isEqualTo("unmatched brace in environment variable name at position 5");
    }

    @Test
    void timeUnits() {
        assertThat(Units.timeMs("10")).isEqualTo(10);
        assertThat(Units.timeMs("500ms")).isEqualTo(500);
        assertThat(Units.timeMs("2s")).isEqualTo(2000);
        assertThat(Units.timeMs("1m")).isEqualTo(60_000);
        assertThat(Units.timeMs("1h")).isEqualTo(3_600_000);
        assertThat(Units.timeMs("1d")).isEqualTo(86_400_000);
        assertThat(Units.timeMs("1500us")).isEqualTo(2);
        assertThatThrownBy(() -> Units.timeMs("10x", "timeout server"))
                .hasMessage("unexpected character 'x' in 'timeout server'");
        assertThatThrownBy(() -> Units.timeMs("1mx", "timeout client"))
                .hasMessage("unexpected character 'x' in 'timeout client'");
    }

    @Test
    void sizeUnits() {
        assertThat(Units.size("100")).isEqualTo(100);
        assertThat(Units.size("100k")).isEqualTo(102_400);
        assertThat(Units.size("1m")).isEqualTo(1_048_576);
        assertThat(Units.size("1g")).isEqualTo(1_073_741_824L);
    }
}
