package io.berth.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stdout/stderr target: event loops {@link #send} into a bounded queue, one daemon thread writes it out, so a
 * slow terminal or pipe never stalls traffic. When the queue is full the line is dropped and counted. One
 * instance per stream for the whole process ({@link #STDOUT}, {@link #STDERR}); the writer thread starts on
 * first use.
 */
final class StreamSink implements LogSink {
    static final int CAPACITY = 8192;
    static final StreamSink STDOUT = new StreamSink("berth-log-stdout", System.out, CAPACITY);
    static final StreamSink STDERR = new StreamSink("berth-log-stderr", System.err, CAPACITY);

    private final String threadName;
    private final OutputStream out;
    private final BlockingQueue<String> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Thread writer;

    StreamSink(String threadName, OutputStream out, int capacity) {
        this.threadName = threadName;
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void send(String framed) {
        if (writer == null) {
            start();
        }
        if (!queue.offer(framed)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    private synchronized void start() {
        if (writer != null) {
            return;
        }
        Thread t = new Thread(this::drain, threadName);
        t.setDaemon(true);
        writer = t;
        t.start();
    }

    /** Writer thread: takes a line, then whatever else is queued, and flushes once per batch. */
    private void drain() {
        StringBuilder batch = new StringBuilder();
        try {
            while (true) {
                batch.append(queue.take());
                String next;
                while (batch.length() < 65536 && (next = queue.poll()) != null) {
                    batch.append(next);
                }
                byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
                batch.setLength(0);
                try {
                    out.write(bytes);
                    out.flush();
                } catch (IOException e) {
                    dropped.incrementAndGet();
                }
                if (out instanceof PrintStream ps && ps.checkError()) {
                    dropped.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
