package io.berth.config;

import io.berth.model.Config;
import io.berth.model.Location;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Entry point of the configuration layer: reads files in order (several {@code -f}, as HAProxy concatenates
 * them) with the keywords of a {@link KeywordRegistry} (see {@code Subsystems.keywords()}) and returns the model
 * or every diagnostic. Called by the CLI on start-up and reload; stateless, any thread.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * The outcome of loading: {@code config} is null when any ALERT was reported; {@code aborted} when an error
     * stopped the reading itself (HAProxy then exits at once, without its closing "Fatal errors" line);
     * {@code readErrors} when the reading found errors (HAProxy then says "Error(s) found in configuration
     * file"), not only the checks after it.
     */
    public record Result(Config config, List<Diagnostic> diagnostics, boolean aborted, boolean readErrors) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean ok() {
            return config != null;
        }

        /** The ALERTs only. */
        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }

        /** Every diagnostic as HAProxy prints it after {@code config : } (one string per diagnostic). */
        public List<String> texts() {
            return diagnostics.stream().map(Diagnostic::text).toList();
        }
    }

    /** Reads the files in order; never throws for bad content or unreadable files, only reports. */
    public static Result load(KeywordRegistry registry, List<Path> files) {
        ConfigParser parser = new ConfigParser(registry, System::getenv);
        for (Path file : files) {
            if (parser.aborted()) {
                break;
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                parser.report(Diagnostic.alert(Location.NONE, "Could not open configuration file " + file
                        + " : " + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                        : e.getMessage())));
                continue;
            }
            parser.parse(file.toString(), text);
        }
        return finish(parser);
    }

    /** Parses configuration text held in memory (tests, demo); {@code name} is used in diagnostics. */
    public static Result parse(KeywordRegistry registry, String name, String text) {
        return parse(registry, name, text, System::getenv);
    }

    /** As {@link #parse(KeywordRegistry, String, String)} with a given environment (tests). */
    public static Result parse(KeywordRegistry registry, String name, String text, Map<String, String> env) {
        return parse(registry, name, text, env::get);
    }

    private static Result parse(KeywordRegistry registry, String name, String text, Function<String, String> env) {
        ConfigParser parser = new ConfigParser(registry, env);
        parser.parse(name, text);
        return finish(parser);
    }

    private static Result finish(ConfigParser parser) {
        List<Diagnostic> all = new ArrayList<>(parser.diagnostics());
        boolean parseErrors = all.stream().anyMatch(Diagnostic::isError);
        if (parseErrors) {
            // as HAProxy: post-parse checks run only on a configuration that parsed
            return new Result(null, all, parser.aborted(), true);
        }
        Config config = ConfigResolver.resolve(parser.draft(), all::add);
        boolean failed = all.stream().anyMatch(Diagnostic::isError);
        return new Result(failed ? null : config, all, false, false);
    }
}
