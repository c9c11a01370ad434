package io.berth.log;

/** Where framed log lines go. Implementations never block the caller (an event loop). */
interface LogSink {
    /** Sends one framed line (ending in {@code \n}); drops it rather than wait. */
    void send(String framed);

    /** Lines dropped because the sink could not take them without blocking. */
    long dropped();
}
