package io.berth.testkit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JUnit 5 extension holding real HTTP backends {@code s1..sN} on 127.0.0.1 (port 0). Register on a static field:
 * <pre>
 *   &#64;RegisterExtension static Backends backends = Backends.start(2);
 *   ... backends.get("s1").respond(Reply.ok("hi")); backends.get("s1").requests() ...
 * </pre>
 * After each test the recordings and answers are reset; after all tests the servers close. Thread-safe.
 */
public final class Backends implements AfterEachCallback, AfterAllCallback, AutoCloseable {
    private final EventLoopGroup group;
    private final Map<String, Backend> backends = new LinkedHashMap<>();

    private Backends(int n) {
        group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("test-backend", true),
                NioIoHandler.newFactory());
        for (int i = 1; i <= n; i++) {
            backends.put("s" + i, new Backend("s" + i, group));
        }
    }

    public static Backends start(int n) {
        return new Backends(n);
    }

    public Backend get(String name) {
        Backend b = backends.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no backend " + name);
        }
        return b;
    }

    /** {@code s1 → "34567"}, ... for config placeholders. */
    public Map<String, String> placeholders() {
        Map<String, String> m = new LinkedHashMap<>();
        backends.forEach((k, v) -> m.put(k, String.valueOf(v.port())));
        return m;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        backends.values().forEach(Backend::reset);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        backends.values().forEach(Backend::close);
        group.shutdownGracefully(0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
