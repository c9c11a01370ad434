package io.berth.proxy.tcp;

import io.berth.balance.BalanceRequest;
import io.berth.proxy.Session;
import io.berth.runtime.RuntimeBackend;
import io.berth.sample.SampleContext;
import io.berth.server.Server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What fetches and balancers can read from a TCP-mode connection: addresses, frontend, backend and server; every
 * HTTP fact is absent. One per connection, event-loop confined. Also what {@code tcp-request connection|session}
 * rules read, in either mode ({@link #ofConnection}).
 */
public final class TcpSampleContext implements SampleContext, BalanceRequest {
    private final Session session;
    RuntimeBackend backend;
    Server server;
    /** The stick counters of this connection's stream (track-sc), or null without stick tables. */
    io.berth.persist.stick.StickCounters counters;

    TcpSampleContext(Session session) {
        this.session = session;
    }

    /** The connection before any backend: addresses, the frontend and the counters it tracks. */
    public static TcpSampleContext ofConnection(Session session, io.berth.persist.stick.StickCounters counters) {
        TcpSampleContext ctx = new TcpSampleContext(session);
        ctx.counters = counters;
        return ctx;
    }

    @Override
    public InetSocketAddress source() {
        return session.client();
    }

    @Override
    public InetSocketAddress destination() {
        return session.local();
    }

    @Override
    public String method() {
        return null;
    }

    @Override
    public String uri() {
        return null;
    }

    @Override
    public String version() {
        return null;
    }

    @Override
    public List<String> requestHeaders(String name) {
        return List.of();
    }

    @Override
    public List<String> responseHeaders(String name) {
        return List.of();
    }

    @Override
    public int status() {
        return 0;
    }

    @Override
    public String serverName() {
        return server == null ? null : server.name();
    }

    @Override
    public int serverId() {
        return server == null ? 0 : server.id();
    }

    @Override
    public String backendName() {
        return backend == null ? null : backend.name();
    }

    @Override
    public String frontendName() {
        return session.frontend().name();
    }

    @Override
    public InetAddress sourceAddress() {
        return session.client() == null ? null : session.client().getAddress();
    }

    @Override
    public io.berth.sample.TrackedCounters trackedCounters() {
        return counters;
    }

    @Override
    public String header(String name) {
        return null;
    }

    @Override
    public String urlParam(String name) {
        return null;
    }
}
