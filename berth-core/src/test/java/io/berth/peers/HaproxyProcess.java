package io.berth.peers;

import io.berth.testkit.Haproxy;
import io.berth.testkit.RuntimeApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code /usr/sbin/haproxy -db -L <local peer>} started for a peers differential test, with its admin
 * stats socket: testkit's {@link Haproxy} plus the socket path and the {@code show table} reading these tests
 * compare. Test-thread only.
 */
final class HaproxyProcess implements AutoCloseable {
    static final Path BINARY = Haproxy.BINARY;

    private final Haproxy haproxy;
    private final Path socket;

    private HaproxyProcess(Haproxy haproxy, Path socket) {
        this.haproxy = haproxy;
        this.socket = socket;
    }

    /** Starts HAProxy on {@code config}, whose {@code ${sock}} placeholder becomes the stats socket path. */
    static HaproxyProcess start(Path dir, String name, String config, String localPeer) throws IOException {
        Path sock = dir.resolve(name + ".sock");
        Haproxy h = Haproxy.start(config.replace("${sock}", sock.toString()), List.of("-L", localPeer));
        return new HaproxyProcess(h, sock);
    }

    boolean ready() {
        return Files.exists(socket);
    }

    /** One CLI command on the stats socket; the answer without its trailing empty line. */
    String cli(String command) throws IOException {
        return RuntimeApi.cli(socket, command).strip();
    }

    /**
     * The entries of {@code table} as {@code show table} prints them, without the pointer, {@code use=} and
     * {@code exp=} fields (they vary), sorted.
     */
    List<String> entries(String table) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : cli("show table " + table).split("\n")) {
            if (line.startsWith("0x")) {
                out.add(line.replaceFirst("^0x[0-9a-f]+: ", "").replaceFirst(" use=\\d+ exp=\\d+", ""));
            }
        }
        out.sort(null);
        return out;
    }

    String output() throws IOException {
        return haproxy.output();
    }

    @Override
    public void close() throws InterruptedException {
        haproxy.close();
    }
}
