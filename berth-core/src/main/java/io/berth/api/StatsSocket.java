package io.berth.api;

import io.berth.model.StatsSocketSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code stats socket}: a Unix domain socket (file mode applied, a stale file replaced, the file removed on
 * {@link #close()}) or {@code ipv4@ADDR:PORT} TCP. An accept thread hands each client to a thread of its own
 * (the API is not the data path; clients are few); a client idle for {@code stats timeout} is closed by the
 * shared timer. Lines longer than 64 KiB close the client. Thread-safe.
 */
final class StatsSocket implements AutoCloseable {
    private static final int MAX_LINE = 64 * 1024;

    private final ServerSocketChannel server;
    private final Path unixPath;
    private final CliLevel level;
    private final CommandRegistry registry;
    private final ApiContext context;
    private final long timeoutMs;
    private final ScheduledExecutorService timer;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    StatsSocket(StatsSocketSpec spec, CommandRegistry registry, ApiContext context, long timeoutMs,
                ScheduledExecutorService timer) throws IOException {
        this.level = CliLevel.parse(spec.level());
        this.registry = registry;
        this.context = context;
        this.timeoutMs = timeoutMs;
        this.timer = timer;
        String addr = spec.address();
        if (isTcp(addr)) {
            unixPath = null;
            server = ServerSocketChannel.open();
            server.bind(tcpAddress(addr));
        } else {
            unixPath = Path.of(addr.startsWith("unix@") ? addr.substring(5) : addr);
            // A file left by a crashed process would make bind fail: HAProxy replaces it too.
            Files.deleteIfExists(unixPath);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(unixPath));
            if (spec.mode() >= 0) {
                Files.setPosixFilePermissions(unixPath, permissions(spec.mode()));
            }
            applyOwner(unixPath, spec.options());
        }
        acceptor = new Thread(this::acceptLoop, "berth-stats-" + addr);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * {@code uid N}, {@code gid N}, {@code user NAME}, {@code group NAME}: the socket file's owner and group, as
     * HAProxy sets them (numeric ids are applied as given; names are looked up on this host).
     */
    static void applyOwner(Path file, java.util.List<String> options) throws IOException {
        for (int i = 0; i + 1 < options.size(); i++) {
            String value = options.get(i + 1);
            switch (options.get(i)) {
                case "uid" -> Files.setAttribute(file, "unix:uid", Integer.parseInt(value));
                case "gid" -> Files.setAttribute(file, "unix:gid", Integer.parseInt(value));
                case "user" -> Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(value));
                case "group" -> Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
                        .setGroup(file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(value));
                default -> {
                    continue;
                }
            }
            i++;
        }
    }

    static boolean isTcp(String addr) {
        return addr.startsWith("ipv4@") || addr.startsWith("ipv6@") || addr.startsWith("tcp@")
                || (!addr.contains("/") && addr.contains(":"));
    }

    private static InetSocketAddress tcpAddress(String addr) {
        String a = addr.contains("@") ? addr.substring(addr.indexOf('@') + 1) : addr;
        int colon = a.lastIndexOf(':');
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, Integer.parseInt(a.substring(colon + 1)));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                p.add(order[bit]);
            }
        }
        return p;
    }

    /** The bound address (a TCP port chosen by the system when 0 was asked). */
    SocketAddress localAddress() throws IOException {
        return server.getLocalAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                clients.add(c);
                Thread t = new Thread(() -> serve(c), "berth-stats-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    // transient accept failure (e.g. EMFILE): keep serving the other clients
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Reads lines, answers each through a {@link CliSession}, closes when the session says so or on idle. */
    private void serve(SocketChannel c) {
        CliSession session = new CliSession(registry, context, level);
        ByteBuffer in = ByteBuffer.allocate(4096);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ScheduledFuture<?>[] idle = {arm(c, null)};
        try (c) {
            while (true) {
                in.clear();
                int n = c.read(in);
                if (n < 0) {
                    break;
                }
                idle[0] = arm(c, idle[0]);
                in.flip();
                boolean done = false;
                while (in.hasRemaining() && !done) {
                    byte b = in.get();
                    if (b != '\n') {
                        line.write(b);
                        if (line.size() > MAX_LINE) {
                            return;
                        }
                        continue;
                    }
                    String answer = session.onLine(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    write(c, answer);
                    done = session.isClosing();
                }
                if (done) {
                    break;
                }
            }
            // A one-shot client that closes its side without a newline still gets its command run.
            if (line.size() > 0 && !session.isClosing()) {
                write(c, session.onLine(line.toString(StandardCharsets.UTF_8)));
            }
        } catch (IOException | RuntimeException e) {
            // a broken or abusive client only loses its own connection
        } finally {
            if (idle[0] != null) {
                idle[0].cancel(false);
            }
            clients.remove(c);
        }
    }

    private ScheduledFuture<?> arm(SocketChannel c, ScheduledFuture<?> previous) {
        if (previous != null) {
            previous.cancel(false);
        }
        if (timeoutMs <= 0) {
            return null;
        }
        return timer.schedule(() -> {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            c.write(out);
        }
    }

    /** Stops accepting, closes every client and removes the socket file. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException ignored) {
                // nothing more to do on exit
            }
        }
    }
}
