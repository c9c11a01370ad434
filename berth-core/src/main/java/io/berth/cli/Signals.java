package io.berth.cli;

import sun.misc.Signal;

/**
 * POSIX signal handling. SIGTERM and SIGINT request a graceful stop (stop accepting, finish in-flight requests,
 * exit 0) instead of the JVM's default exit 143/130; the handler runs on the JVM's signal thread and only
 * triggers the given action, which must not block.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Calls {@code action} with the signal name on SIGHUP or SIGUSR2 (HAProxy's master-worker reload signals).
     * A signal the JVM keeps for itself (SIGUSR2 on some JVMs) is skipped with a debug message.
     */
    @SuppressWarnings("removal")
    static void onReload(java.util.function.Consumer<String> action) {
        for (String name : new String[] {"HUP", "USR2"}) {
            try {
                Signal.handle(new Signal(name), s -> action.accept("SIG" + s.getName()));
            } catch (IllegalArgumentException e) {
                Console.debug("SIG" + name + " cannot trigger reloads on this JVM: " + e.getMessage());
            }
        }
    }

    /**
     * Calls {@code action} with the signal name on SIGUSR1: HAProxy's soft stop, which a new process started with
     * {@code -sf} sends to the old one (stop listening, hand the stick tables over, finish in-flight requests).
     */
    @SuppressWarnings("removal")
    static void onSoftStop(java.util.function.Consumer<String> action) {
        try {
            Signal.handle(new Signal("USR1"), s -> action.accept("SIG" + s.getName()));
        } catch (IllegalArgumentException e) {
            Console.warning("cannot handle SIGUSR1 (soft stop for -sf reloads): " + e.getMessage());
        }
    }

    /**
     * Sends {@code signal} ({@code USR1} for {@code -sf}, {@code TERM} for {@code -st}) to each process of
     * {@code pids}; a pid that is gone is reported and skipped, as HAProxy does.
     */
    static void send(String signal, java.util.List<Long> pids) {
        for (long pid : pids) {
            try {
                Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                if (p.waitFor() != 0) {
                    Console.warning("cannot send SIG" + signal + " to process " + pid + ": " + out);
                }
            } catch (java.io.IOException e) {
                Console.warning("cannot send SIG" + signal + " to process " + pid + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Calls {@code action} with the signal name on SIGTERM or SIGINT. */
    @SuppressWarnings("removal")
    static void onStop(java.util.function.Consumer<String> action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> action.accept("SIG" + s.getName()));
            } catch (IllegalArgumentException e) {
                Console.warning("cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
    }
}
