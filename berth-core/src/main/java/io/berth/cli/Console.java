package io.berth.cli;

import java.io.PrintStream;

/**
 * Process messages on stderr in HAProxy's console style ({@code [NOTICE]   (PID) : message}), so operators
 * read Berth's start-up and shutdown lines the way they read HAProxy's. Thread-safe (PrintStream locks).
 */
final class Console {
    private static final long PID = ProcessHandle.current().pid();
    private static volatile boolean debug;
    private static final PrintStream OUT = System.err;

    private Console() {
    }

    static long pid() {
        return PID;
    }

    static void setDebug(boolean on) {
        debug = on;
    }

    static boolean debug() {
        return debug;
    }

    static void notice(String message) {
        OUT.println("[NOTICE]   (" + PID + ") : " + message);
    }

    static void warning(String message) {
        OUT.println("[WARNING]  (" + PID + ") : " + message);
    }

    static void alert(String message) {
        OUT.println("[ALERT]    (" + PID + ") : " + message);
    }

    static void debug(String message) {
        if (debug) {
            OUT.println("[DEBUG]    (" + PID + ") : " + message);
        }
    }

    /** A line of its own, e.g. a diagnostic already formatted by {@code Diagnostic.format}. */
    static void raw(String line) {
        OUT.println(line);
    }
}
