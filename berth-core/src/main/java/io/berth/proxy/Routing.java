package io.berth.proxy;

import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.berth.sample.SampleContext;

/** The routing step of a stream: {@code use_backend} rules in order, the first whose condition holds, else
 * {@code default_backend} (null when there is none). Stateless. */
public final class Routing {
    private Routing() {
    }

    public static RuntimeBackend backendFor(RuntimeFrontend fe, SampleContext ctx) {
        for (RuntimeFrontend.Route r : fe.routes()) {
            if (r.condition().test(ctx)) {
                return r.backend();
            }
        }
        return fe.defaultBackend();
    }
}
