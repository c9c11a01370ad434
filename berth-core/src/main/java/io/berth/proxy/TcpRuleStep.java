package io.berth.proxy;

import io.berth.model.TcpRuleSpec;
import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickCounters;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.berth.runtime.TcpRules;
import io.berth.sample.SampleContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;

/**
 * Hooks the {@code tcp-request} rules ({@link TcpRules}) into the data plane, at the points HAProxy 2.6 runs them:
 * <ul>
 *   <li>{@link #accept}: connection rules, then session rules, when the listener accepts, before any byte is
 *   read. A connection {@code reject} closes with a RST (HAProxy sets no-linger: "close with a single RST"), a
 *   session {@code reject} closes normally; nothing is sent, nothing logged. Counters tracked here belong to the
 *   connection (HAProxy's {@code sess->stkctr}): sess_cnt +1 once the session is accepted, conn_cur −1 when the
 *   connection closes, and every stream of the connection inherits them.</li>
 *   <li>{@link #content}: content rules, once per stream: in TCP mode before the backend is chosen, in HTTP mode
 *   for each request before the http-request rules and before the request is counted ({@code req_tot}); a
 *   reject counts {@code dreq} and the caller closes the connection without a response.</li>
 *   <li>{@link #backendContent}: a backend's content rules, once the stream reached it, before its http-request
 *   and stick rules.</li>
 * </ul>
 * Stateless; runs on the connection's event loop.
 */
public final class TcpRuleStep {
    /** The counters tracked by a connection's connection/session rules, on the client channel. */
    private static final AttributeKey<StickCounters> CONNECTION =
            AttributeKey.valueOf("berth.tcp-request.connection-counters");

    private TcpRuleStep() {
    }

    /**
     * Runs the connection and session rules of the session's frontend on the new client channel {@code ch}.
     *
     * @return false when a rule rejected the connection (it is being closed: install nothing), true to go on
     */
    public static boolean accept(Session session, Channel ch) {
        TcpRules rules = session.frontend().tcpRules();
        if (!rules.has(TcpRuleSpec.Phase.CONNECTION) && !rules.has(TcpRuleSpec.Phase.SESSION)) {
            return true;
        }
        StickCounters counters = StickStep.counters(session.runtime(), null);
        if (counters != null) {
            // session_store_counters() at the session's end: conn_cur back, rejected connections included
            ch.closeFuture().addListener(f -> counters.release(StickClock.now()));
        }
        SampleContext ctx = io.berth.proxy.tcp.TcpSampleContext.ofConnection(session, counters);
        if (rules.run(TcpRuleSpec.Phase.CONNECTION, ctx, counters) == TcpRules.Verdict.REJECT) {
            session.frontend().counters.deniedConnections.increment();
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.close();
            return false;
        }
        if (rules.run(TcpRuleSpec.Phase.SESSION, ctx, counters) == TcpRules.Verdict.REJECT) {
            session.frontend().counters.deniedSessions.increment();
            ch.close();
            return false;
        }
        if (counters != null) {
            counters.sessionStarted(StickClock.now());
            ch.attr(CONNECTION).set(counters);
        }
        return true;
    }

    /**
     * The counters the connection of {@code ch} tracked (an HTTP/2 stream asks its parent connection), or null.
     */
    public static StickCounters connectionCounters(Channel ch) {
        StickCounters c = ch.attr(CONNECTION).get();
        if (c == null && ch.parent() != null) {
            c = ch.parent().attr(CONNECTION).get();
        }
        return c;
    }

    /**
     * Runs the content rules of {@code fe} for one stream whose facts {@code ctx} gives and whose tracked counters
     * are {@code counters} (null without stick tables).
     *
     * @param http an HTTP request: once accepted it counts in http_req_cnt/rate of every entry tracked so far
     * @return false when a rule rejected the stream: {@code dreq} is counted and the stream's counters released;
     *         the caller closes the client connection without answering
     */
    public static boolean content(RuntimeFrontend fe, SampleContext ctx, StickCounters counters, boolean http) {
        TcpRules rules = fe.tcpRules();
        if (rules.has(TcpRuleSpec.Phase.CONTENT)
                && rules.run(TcpRuleSpec.Phase.CONTENT, ctx, counters) == TcpRules.Verdict.REJECT) {
            fe.counters.deniedRequests.increment();
            StickStep.end(counters, 0, 0);
            return false;
        }
        if (http && counters != null) {
            counters.streamHttpRequest(StickClock.now());
        }
        return true;
    }

    /**
     * Runs the content rules of the backend {@code be} the stream just reached (HAProxy's
     * {@code AN_REQ_INSPECT_BE}), unless {@code be} is the frontend's own proxy: a {@code listen} runs its rules
     * once, as a frontend. In HTTP mode ({@code http}) the entries tracked here count the request once it passed
     * (none when it was rejected), as HAProxy's backend HTTP analyser does. A reject counts the frontend's
     * {@code dreq}, as HAProxy 2.6 does, not the backend's.
     *
     * @return false when a rule rejected the stream: the caller ends it (releasing its counters) and closes the
     *         client connection without answering
     */
    public static boolean backendContent(RuntimeFrontend fe, RuntimeBackend be, SampleContext ctx,
                                         StickCounters counters, boolean http) {
        TcpRules rules = be.tcpRules();
        if (!rules.has(TcpRuleSpec.Phase.CONTENT) || be.spec().id() == fe.spec().id()) {
            return true;
        }
        if (rules.run(TcpRuleSpec.Phase.CONTENT, ctx, counters, true) == TcpRules.Verdict.REJECT) {
            fe.counters.deniedRequests.increment();
            return false;
        }
        if (http && counters != null) {
            counters.backendHttpRequest(StickClock.now());
        }
        return true;
    }
}
