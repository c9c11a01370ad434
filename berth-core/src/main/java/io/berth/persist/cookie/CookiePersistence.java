package io.berth.persist.cookie;

import io.berth.model.BackendSpec;
import io.berth.model.CookieSpec;
import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.List;

/**
 * Cookie persistence of one backend at run time: the request step (before balancing: which server the client's
 * cookie designates, and the Cookie headers to forward) and the response step (before the response headers go to
 * the client: the server's Set-Cookie handled and the persistence cookie inserted). Built once per backend when the
 * runtime is built, from the backend's {@link CookieSpec}; the server cookie values are an immutable snapshot,
 * rebuilt when a server changes (dynamic cookies follow the address). Shared by every event loop; per-request
 * state lives in the caller's {@link CookieState}.
 */
public final class CookiePersistence {
    static final String COOKIE = "cookie";

    private final CookieSpec spec;
    private final RequestCookies request;
    private final ResponseCookies response;
    private final PersistRules rules;
    private final boolean showLetters;
    private volatile ServerCookies servers;

    private CookiePersistence(BackendSpec backend, ServerGroup group, PersistRules rules) {
        this.spec = backend.cookie();
        this.request = new RequestCookies(spec, backend.options().persist());
        this.response = new ResponseCookies(spec);
        this.rules = rules;
        // the log shows cookie letters only with a mode or indirect (HAProxy's PR_CK_ANY)
        this.showLetters = spec.mode() != CookieSpec.Mode.PASSIVE || spec.indirect();
        String key = backend.dynamicCookieKey();
        this.servers = ServerCookies.of(group, spec.dynamic(), key, response::fixedInsert);
        if (spec.dynamic() && key != null) {
            group.onChange(() -> servers = ServerCookies.of(group, true, key, response::fixedInsert));
        }
    }

    /**
     * The backend's cookie persistence, or null when it has no {@code cookie} line or is not in HTTP mode.
     *
     * @throws IllegalArgumentException when a persist rule's condition does not compile (HAProxy's wording)
     */
    public static CookiePersistence create(BackendSpec backend, ServerGroup group) {
        if (backend.cookie() == null || backend.mode() != io.berth.model.Mode.HTTP) {
            return null;
        }
        return new CookiePersistence(backend, group, PersistRules.compile(backend));
    }

    /**
     * The backend's cookie persistence with its persist rules already compiled (by the runtime builder, which
     * reports their errors itself), or null when it has no {@code cookie} line or is not in HTTP mode.
     */
    public static CookiePersistence create(BackendSpec backend, ServerGroup group, PersistRules rules) {
        if (backend.cookie() == null || backend.mode() != io.berth.model.Mode.HTTP) {
            return null;
        }
        return new CookiePersistence(backend, group, rules);
    }

    public CookieSpec spec() {
        return spec;
    }

    /** The backend's force/ignore-persist rules (also usable by stick tables). */
    public PersistRules persistRules() {
        return rules;
    }

    /** The current cookie value of {@code server}, or null. */
    public String cookieOf(Server server) {
        return servers.cookieOf(server);
    }

    /**
     * The request step: reads every Cookie header (in order), decides the letter and the server, and writes the
     * headers back when they changed (indirect removal, prefix stripping, blanks around {@code =}). The caller has
     * set the persist-rule result and {@link CookieState#alreadyAssigned()} first; afterwards, when
     * {@link CookieState#target()} is non-null the request goes there instead of to the balancer.
     *
     * @param nowSeconds the current Unix time in seconds (dates are checked against it)
     */
    public void onRequest(HeaderAccess headers, CookieState st, long nowSeconds) {
        List<String> lines = headers.all(COOKIE);
        if (lines.isEmpty()) {
            return;
        }
        ServerCookies snapshot = servers;
        String[] out = null;
        int kept = 0;
        for (int i = 0; i < lines.size(); i++) {
            String v = lines.get(i);
            String n = request.process(v, st, snapshot, nowSeconds);
            if (n != v && out == null) {
                out = new String[lines.size()];
                for (int j = 0; j < i; j++) {
                    out[kept++] = lines.get(j);
                }
            }
            if (out != null && n != null) {
                out[kept++] = n;
            }
        }
        if (out != null) {
            headers.replace(COOKIE, java.util.Arrays.asList(out).subList(0, kept));
        }
    }

    /**
     * The response step, for a response from {@code server} (never for Berth's own error pages or local replies,
     * which carry no cookie in HAProxy). Call after the http-response rules.
     */
    public void onResponse(HeaderAccess headers, String method, int status, Server server, CookieState st,
                           long nowSeconds) {
        ServerCookies snapshot = servers;
        int i = snapshot.indexOf(server);
        response.process(headers, method, status, server, i < 0 ? null : snapshot.cookies[i],
                i < 0 ? null : snapshot.inserts[i], st, nowSeconds);
    }

    /** Chars 3–4 of the httplog termination state, e.g. {@code NI}, {@code VN}; {@code --} without a mode. */
    public String letters(CookieState st) {
        return showLetters ? "" + st.request + st.response : "--";
    }

    /** {@link #letters} for a backend that may have no cookie persistence (null). */
    public static String letters(CookiePersistence cp, CookieState st) {
        return cp == null ? "--" : cp.letters(st);
    }
}
