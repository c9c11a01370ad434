package io.berth.config;

import io.berth.Subsystems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The article's configurations in examples/: everything parses except the cookie/stick keywords not yet supported. */
class ExamplesTest {
    private static Path examples() {
        Path p = Path.of("examples");
        return Files.isDirectory(p) ? p : Path.of("..", "examples");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cookie-insert.cfg|",
            "stick-src.cfg|",
            "stick-header.cfg|",
            "balance-source.cfg|",
            "cookie-redispatch.cfg|"})
    void parsesWithOnlyTheUnsupportedPersistenceKeywordsReported(String file, String expected) {
        Path path = examples().resolve(file);
        ConfigLoader.Result r = ConfigLoader.load(Subsystems.keywords(), List.of(path));
        List<String> want = expected == null ? List.of() : List.of(expected.split(";")).stream()
                .map(e -> "parsing [" + path + ":" + e.substring(0, e.indexOf(':')) + "] : "
                        + e.substring(e.indexOf(':') + 1)).toList();
        assertThat(r.texts()).containsExactlyElementsOf(want);
        if (want.isEmpty()) {
            assertThat(r.config().backend("be_app").orElseThrow().servers()).hasSize(2);
            assertThat(r.config().frontend("fe_app").orElseThrow().defaultBackend()).isEqualTo("be_app");
        }
    }
}
