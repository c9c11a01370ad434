package io.berth.peers;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code /usr/sbin/haproxy -db} started for a differential test, with its admin stats socket. */
final class HaproxyProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final Path socket;
    private final Path output;

    private HaproxyProcess(Process process, Path socket, Path output) {
        this.process = process;
        this.socket = socket;
        this.output = output;
    }

    /** Starts HAProxy on {@code config}, whose {@code ${sock}} placeholder becomes the stats socket path. */
    static HaproxyProcess start(Path dir, String name, String config, String localPeer) throws IOException {
        Path sock = dir.resolve(name + ".sock");
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(cfg, config.replace("${sock}", sock.toString()));
        Path out = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(BINARY.toString(), "-db", "-f", cfg.toString(), "-L", localPeer)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new HaproxyProcess(p, sock, out);
    }

    boolean ready() {
        return Files.exists(socket);
    }

    /** One CLI command on the stats socket; the answer without its trailing empty line. */
    String cli(String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder sb = new StringBuilder();
            while (ch.read(buf) >= 0) {
                buf.flip();
                sb.append(StandardCharsets.ISO_8859_1.decode(buf));
                buf.clear();
            }
            return sb.toString().strip();
        }
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
        return Files.exists(output) ? Files.readString(output) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
