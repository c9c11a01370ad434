package io.berth.cli;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.config.Diagnostic;
import io.berth.model.Config;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBuildException;
import io.berth.runtime.RuntimeBuilder;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code berth -c}: parse, then build the runtime without binding anything, and report as HAProxy's
 * {@code -c} does (every diagnostic, then "Configuration file is valid" or the fatal-errors line).
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    /** @return 0 when valid, 1 with messages otherwise */
    static int run(List<Path> files, String localPeer) {
        Runtime runtime = load(files);
        if (runtime == null) {
            return 1;
        }
        if (warnings > 0) {
            System.out.println("Warnings were found.");
        }
        if (runtime.frontends().isEmpty()) {
            System.out.println("Configuration file has no error but will not start (no listener) => exit(2).");
            return 2;
        }
        System.out.println("Configuration file is valid");
        return 0;
    }

    /**
     * Loads and builds, printing every diagnostic on stderr.
     *
     * @return the runtime, or null when any error was found (already reported)
     */
    static Runtime load(List<Path> files) {
        ConfigLoader.Result result = ConfigLoader.load(Subsystems.keywords(), files);
        print(result.diagnostics());
        if (!result.ok()) {
            // errors of the checks after reading (a backend that does not exist...) close with "Fatal errors" only
            if (result.readErrors()) {
                errorsFoundIn(files);
            }
            if (!result.aborted()) {
                Console.alert("config : Fatal errors found in configuration.");
            }
            return null;
        }
        Config config = result.config();
        try {
            return RuntimeBuilder.build(config, null);
        } catch (RuntimeBuildException e) {
            print(e.diagnostics());
            // errors HAProxy would have met while reading the file close the check as its reading errors do
            if (e.diagnostics().stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ALERT_READING
                    || d.severity() == Diagnostic.Severity.ALERT_ABORT)) {
                errorsFoundIn(files);
            }
            if (e.diagnostics().stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ALERT_ABORT)) {
                Console.alert("config : Fatal errors found in configuration.");
            }
            return null;
        }
    }

    /** HAProxy's closing line for errors met while reading the files. */
    private static void errorsFoundIn(List<Path> files) {
        Console.alert("config : Error(s) found in configuration file : "
                + String.join(", ", files.stream().map(Path::toString).toList()));
    }

    /** Warnings printed by the last {@link #load}; main thread only. */
    private static int warnings;

    private static void print(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            // HAProxy's "Warnings were found." counts its WARNING lines, not the ALERTs that only warn
            if (d.severity() == Diagnostic.Severity.WARNING) {
                warnings++;
            }
            Console.raw(d.format(Console.pid()));
        }
    }
}
