package io.berth.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP syslog target: one datagram per line, sent from the calling event loop on a non-blocking channel (a
 * full socket buffer drops the line and counts it, as HAProxy does). {@link DatagramChannel#send} is
 * thread-safe, so one channel serves every event loop.
 */
final class UdpSink implements LogSink {
    /** HAProxy's default {@code len}: longer messages are truncated to it. */
    static final int MAX_LENGTH = 1024;

    private final InetSocketAddress target;
    private final DatagramChannel channel;
    private final AtomicLong dropped = new AtomicLong();

    UdpSink(InetSocketAddress target) {
        this.target = target;
        try {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP socket for log target " + target, e);
        }
    }

    @Override
    public void send(String framed) {
        byte[] bytes = framed.getBytes(StandardCharsets.UTF_8);
        int len = bytes.length;
        if (len > MAX_LENGTH) {
            // keep the final newline, as HAProxy ends a truncated message with it too
            bytes[MAX_LENGTH - 1] = '\n';
            len = MAX_LENGTH;
        }
        try {
            if (channel.send(ByteBuffer.wrap(bytes, 0, len), target) == 0) {
                dropped.incrementAndGet();
            }
        } catch (IOException e) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }
}
