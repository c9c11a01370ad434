package io.berth.runtime;

import io.berth.config.Diagnostic;

import java.util.List;

/** The model could not be turned into a runtime; every problem found is listed, HAProxy-worded. */
public final class RuntimeBuildException extends Exception {
    private final List<Diagnostic> diagnostics;

    public RuntimeBuildException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "runtime build failed" : diagnostics.get(0).message());
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
