package io.berth.api;

import io.berth.config.StatsKeywords;
import io.berth.proxy.http.Services;
import io.berth.runtime.Runtime;

import java.util.Map;

/**
 * Registers the runtime API's HTTP services with the data plane ({@link Services}): {@code prometheus-exporter}
 * and the stats page of the {@code stats} keywords. Installed by {@link StatsSockets#start} (which the process
 * always runs) with the process's {@link ApiContext}, so the page and the metrics see the health checks; a
 * request served by a runtime other than the context's (a test's, or one being replaced) gets a context of its
 * own without checks. Any thread.
 */
public final class HttpServices {
    private HttpServices() {
    }

    public static void install(ApiContext ctx) {
        Services.register("prometheus-exporter", req -> Services.Reply.text(200, "text/plain; version=0.0.4",
                PrometheusExporter.render(forRuntime(ctx, req.runtime()))));
        Services.register(StatsKeywords.SERVICE, req -> StatsPage.answer(forRuntime(ctx, req.runtime()), req));
    }

    /** For a runtime served without a stats socket (tests): the services over that runtime alone. */
    public static void install(Runtime runtime) {
        install(new ApiContext(runtime, Map.of()));
    }

    private static ApiContext forRuntime(ApiContext ctx, Runtime rt) {
        return ctx == null || ctx.runtime() == rt ? ctx : new ApiContext(rt, Map.of());
    }
}
