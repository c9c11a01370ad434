package io.berth.proxy.http;

import io.berth.runtime.HttpRule;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.berth.server.Server;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The decisions taken on a request head and on a response head, in HAProxy's order, before any byte moves:
 * request side: frontend http-request rules → use_backend/default_backend → backend http-request rules → cookie
 * persistence → stick match; response side: backend then frontend http-response rules → cookie insertion → stick
 * store. A {@code listen} serving its own requests is one proxy, so its rules run once (HAProxy runs the backend
 * phase only when the backend differs from the frontend; the two halves of a listen share their proxy id).
 * Stateless; event-loop thread.
 */
final class RequestSteps {
    /**
     * What the request steps decided: a local answer ({@code reply}), no backend ({@code noBackend}), or go on
     * towards {@code persistent} (null: load balancing chooses).
     */
    record Decision(HttpRule reply, boolean noBackend, boolean rejected, Server persistent) {
        static final Decision NO_BACKEND = new Decision(null, true, false, null);
        /** The backend's {@code tcp-request content} rules rejected the stream: close without an answer. */
        static final Decision REJECTED = new Decision(null, false, true, null);

        static Decision answer(HttpRule rule) {
            return new Decision(rule, false, false, null);
        }
    }

    private RequestSteps() {
    }

    /** Runs the request steps on {@code tx}; sets its backend when one is chosen. */
    static Decision request(RuntimeFrontend fe, HttpTransaction tx, HttpRequest request) {
        HttpHeaders headers = request.headers();
        HttpRule stop = HttpRuleRunner.apply(fe.requestRules(), tx, request);
        if (stop != null) {
            return Decision.answer(stop);
        }
        RuntimeBackend be = io.berth.proxy.Routing.backendFor(fe, tx);
        if (be == null) {
            return Decision.NO_BACKEND;
        }
        tx.backend = be;
        tx.session.routedTo(be.name(), null);
        be.currentConns.incrementAndGet();
        be.totalConns.incrementAndGet();
        io.berth.proxy.TrafficStep.routed(be, true, System.currentTimeMillis());
        if (!io.berth.proxy.TcpRuleStep.backendContent(fe, be, tx, tx.counters, true)) {
            return Decision.REJECTED;
        }
        stop = sameProxy(fe, be) ? null : HttpRuleRunner.apply(be.requestRules(), tx, request);
        if (stop != null) {
            return Decision.answer(stop);
        }
        Server persistent = CookieStep.request(tx, be, headers);
        tx.stickRules = io.berth.proxy.StickStep.rules(tx.session.runtime(), be);
        persistent = io.berth.proxy.StickStep.request(tx.stickRules, be, tx, persistent, tx.stick);
        return new Decision(null, false, false, persistent);
    }

    /**
     * Runs the response steps on {@code tx}'s response head {@code r}.
     *
     * @return the deny/return rule that replaces the response, or null when the response goes on
     */
    static HttpRule response(RuntimeFrontend fe, HttpTransaction tx, HttpResponse r) {
        HttpRule stop = sameProxy(fe, tx.backend) ? null : HttpRuleRunner.apply(tx.backend.responseRules(), tx, r);
        if (stop == null) {
            stop = HttpRuleRunner.apply(fe.responseRules(), tx, r);
        }
        if (stop != null) {
            return stop;
        }
        CookieStep.response(tx, r.headers());
        io.berth.proxy.StickStep.response(tx.stickRules, tx, tx.stick, tx.server);
        return null;
    }

    private static boolean sameProxy(RuntimeFrontend fe, RuntimeBackend be) {
        return be.spec().id() == fe.spec().id();
    }
}
