package io.berth.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A one-shot client for a stats socket (Berth's or real HAProxy's, Unix or TCP): connect, write the command
 * line(s), read until the server closes. Without {@code prompt} both close after answering, so the whole answer
 * is what arrived before EOF. Stateless; any thread.
 */
public final class RuntimeApi {
    private RuntimeApi() {
    }

    /** One command on the Unix stats socket at {@code socket}; the whole answer, trailing empty line included. */
    public static String cli(Path socket, String command) {
        try {
            return exchange(UnixDomainSocketAddress.of(socket), command + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("stats socket " + socket + ": " + command, e);
        }
    }

    /**
     * HAProxy's {@code show table NAME} on the socket at {@code socket}, as key → "name=value ..." without the
     * entry's address, {@code use=} and {@code exp=} (the form {@link BerthInstance#tableData} gives for Berth).
     */
    public static java.util.Map<String, String> tableData(Path socket, String table) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String line : cli(socket, "show table " + table).split("\n")) {
            if (line.startsWith("0x")) {
                java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of(line.split(" ")));
                String key = words.get(1).substring(4);
                words.removeIf(w -> w.startsWith("0x") || w.startsWith("key=") || w.startsWith("use=")
                        || w.startsWith("exp="));
                out.put(key, String.join(" ", words));
            }
        }
        return out;
    }

    /**
     * The rows of a {@code show stat} CSV (Berth's or HAProxy's) as {@code "pxname/svname col=value ..."} with the
     * given columns, in the CSV's order.
     */
    public static java.util.List<String> statColumns(String csv, java.util.List<String> columns) {
        java.util.List<String> lines = csv.lines().toList();
        java.util.List<String> header = java.util.List.of(lines.get(0).substring(2).split(",", -1));
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            java.util.List<String> f = java.util.List.of(line.split(",", -1));
            if (f.size() < header.size()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(f.get(0)).append('/').append(f.get(1));
            for (String col : columns) {
                sb.append(' ').append(col).append('=').append(f.get(header.indexOf(col)));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Writes {@code send} as is (newlines and semicolons included) and returns everything read until EOF. */
    public static String exchange(SocketAddress address, String send) throws IOException {
        try (SocketChannel c = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            c.connect(address);
            c.write(ByteBuffer.wrap(send.getBytes(StandardCharsets.UTF_8)));
            return readAll(c);
        }
    }

    /** Everything {@code c} delivers until the peer closes. */
    public static String readAll(SocketChannel c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        while (c.read(buf) >= 0) {
            buf.flip();
            out.write(buf.array(), 0, buf.limit());
            buf.clear();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
