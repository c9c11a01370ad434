package io.berth.cli;

import io.berth.Subsystems;
import io.berth.config.ConfigLoader;
import io.berth.config.Diagnostic;
import io.berth.runtime.Runtime;
import io.berth.runtime.RuntimeBuildException;
import io.berth.runtime.RuntimeBuilder;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * In-process reload (SIGHUP, SIGUSR2): re-reads the configuration files, builds a new runtime next to the running
 * one (carrying server states by name), and hands it to the process to publish. A configuration that fails to
 * parse or build leaves the running one untouched and says why, in {@code -c}'s words. One reload at a time;
 * runs on the signal thread.
 */
final class Reloader {
    private final List<Path> files;
    private final java.util.function.Supplier<Runtime> current;
    private final Consumer<Runtime> publish;

    /**
     * @param current the runtime serving now
     * @param publish switches the process to the new runtime (listeners, checks, sockets)
     */
    Reloader(List<Path> files, java.util.function.Supplier<Runtime> current, Consumer<Runtime> publish) {
        this.files = List.copyOf(files);
        this.current = current;
        this.publish = publish;
    }

    /** @return true when the new configuration is serving */
    synchronized boolean reload(String why) {
        Console.notice(why + ": reloading " + files);
        ConfigLoader.Result result = ConfigLoader.load(Subsystems.keywords(), files);
        print(result.diagnostics());
        if (!result.ok()) {
            Console.alert("reload failed: the configuration has errors; still running the previous one.");
            return false;
        }
        Runtime next;
        try {
            next = RuntimeBuilder.build(result.config(), current.get());
        } catch (RuntimeBuildException e) {
            print(e.diagnostics());
            Console.alert("reload failed: the configuration has errors; still running the previous one.");
            return false;
        }
        publish.accept(next);
        Console.notice("reload complete: new configuration serving; connections accepted before keep the previous one.");
        return true;
    }

    private static void print(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            Console.raw(d.format(Console.pid()));
        }
    }
}
