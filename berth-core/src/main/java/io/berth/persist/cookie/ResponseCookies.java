package io.berth.persist.cookie;

import io.berth.model.CookieSpec;
import io.berth.server.Server;

import java.util.ArrayList;
import java.util.List;

/**
 * The response side of cookie persistence, a port of HAProxy 2.6's {@code http_manage_server_side_cookies} and of
 * the insertion in {@code http_process_res_common}. A server {@code Set-Cookie: NAME=...} is left alone with
 * {@code preserve} ({@code P}), deleted in insert mode or when the client came direct with {@code indirect}
 * ({@code D}), its value replaced in rewrite mode or prefixed with {@code SRV~} in prefix mode ({@code R}). Then in
 * insert mode a {@code Set-Cookie} is appended (letter {@code I}, or {@code U} when only the dates were refreshed)
 * unless the client came direct with nothing to refresh, the server's own cookie was preserved, {@code postonly}
 * and not a POST, or persistence is ignored: {@code NAME=SRV[|LAST[|FIRST]]; path=/[; domain=D]*[; HttpOnly]
 * [; Secure][; ATTR]*}, or the deletion cookie for a server without a cookie value. With {@code nocache} a
 * still-cacheable response also gets {@code cache-control: private}. Immutable; shared by every event loop.
 */
final class ResponseCookies {
    static final String SET_COOKIE = "set-cookie";
    private static final String EXPIRED = "=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/";

    private final CookieSpec spec;
    private final String name;
    /** {@code ; domain=D...; HttpOnly; Secure; ATTR...}, computed once. */
    private final String tail;
    /** The deletion cookie sent for a server without a cookie value. */
    private final String deletion;
    private final boolean dated;

    ResponseCookies(CookieSpec spec) {
        this.spec = spec;
        this.name = spec.name();
        StringBuilder t = new StringBuilder();
        for (String d : spec.domains()) {
            t.append("; domain=").append(d);
        }
        if (spec.httpOnly()) {
            t.append("; HttpOnly");
        }
        if (spec.secure()) {
            t.append("; Secure");
        }
        for (String a : spec.attributes()) {
            t.append("; ").append(a);
        }
        this.tail = t.toString();
        this.deletion = name + EXPIRED + tail;
        this.dated = spec.maxIdle() != 0 || spec.maxLife() != 0;
    }

    /**
     * The whole inserted {@code Set-Cookie} value for a server whose cookie is {@code serverCookie}, when it never
     * changes (no {@code maxidle}/{@code maxlife} dates): built once per server, not per response. Null otherwise.
     */
    String fixedInsert(String serverCookie) {
        return serverCookie == null || dated ? null : name + "=" + serverCookie + "; path=/" + tail;
    }

    /**
     * Applies the response step.
     *
     * @param server       the server that answered (never null: HAProxy's own replies carry no cookie)
     * @param serverCookie that server's cookie value, or null when it has none
     * @param fixedInsert  {@link #fixedInsert(String)} of that value, or null
     */
    void process(HeaderAccess headers, String method, int status, Server server, String serverCookie,
                 String fixedInsert, CookieState st, long now) {
        if (status < 200 && status != 101) {
            return;
        }
        if (headers.contains(SET_COOKIE)) {
            List<String> lines = headers.all(SET_COOKIE);
            List<String> out = null;
            for (int i = 0; i < lines.size(); i++) {
                String v = lines.get(i);
                String n = setCookie(v, serverCookie, st);
                if (n != v && out == null) {
                    out = new ArrayList<>(lines.subList(0, i));
                }
                if (out != null && n != null) {
                    out.add(n);
                }
            }
            if (out != null) {
                headers.replace(SET_COOKIE, out);
            }
        }
        if (spec.mode() != CookieSpec.Mode.INSERT || st.ignorePersist || (st.response == 'P' && spec.preserve())) {
            return;
        }
        if (spec.postOnly() && !method.equals("POST")) {
            return;
        }
        long last = Integer.toUnsignedLong(st.lastDate);
        boolean refresh = !st.direct
                || ((spec.maxIdle() != 0 || st.lastDate != 0) && (st.lastDate == 0 || last - now < 0))
                || (spec.maxLife() != 0 && st.firstDate == 0)
                || (spec.maxLife() == 0 && st.firstDate != 0);
        if (!refresh) {
            return;
        }
        String value;
        if (serverCookie == null) {
            value = deletion;
        } else if (fixedInsert != null) {
            value = fixedInsert;
        } else {
            StringBuilder c = new StringBuilder(name.length() + 24 + serverCookie.length() + tail.length());
            c.append(name).append('=').append(serverCookie);
            if (dated) {
                c.append('|');
                CookieDate.append(c, CookieDate.quantize(now));
                if (spec.maxLife() != 0) {
                    c.append('|');
                    CookieDate.append(c, st.firstDate != 0 ? st.firstDate >>> 2 : CookieDate.quantize(now));
                }
            }
            value = c.append("; path=/").append(tail).toString();
        }
        headers.add(SET_COOKIE, value);
        st.response = serverCookie != null && st.direct ? 'U' : 'I';
        if (spec.nocache() && Cacheability.cacheable(method, status, headers)) {
            headers.add("cache-control", "private");
        }
    }

    /**
     * One server {@code Set-Cookie} line: only its first {@code NAME=VALUE} pair is a cookie (commas may appear in
     * an Expires date). Returns the line itself when unchanged, the new line, or null to drop it.
     */
    private String setCookie(String value, String serverCookie, CookieState st) {
        char[] b = Scratch.copyOf(value);
        int hdrEnd = value.length();
        int attBeg = 0;
        while (attBeg < hdrEnd && RequestCookies.isSpHt(b[attBeg])) {
            attBeg++;
        }
        int equal = attBeg;
        int attEnd = attBeg;
        while (equal < hdrEnd) {
            char ch = b[equal];
            if (ch == '=' || ch == ';') {
                break;
            }
            equal++;
            if (RequestCookies.isSpHt(ch)) {
                continue;
            }
            attEnd = equal;
        }
        if (equal >= hdrEnd || b[equal] != '=') {
            return value;
        }
        int valBeg = equal + 1;
        while (valBeg < hdrEnd && RequestCookies.isSpHt(b[valBeg])) {
            valBeg++;
        }
        int valEnd = RequestCookies.valueEnd(b, valBeg, hdrEnd, true);
        while (valEnd > valBeg && RequestCookies.isSpHt(b[valEnd - 1])) {
            valEnd--;
        }
        boolean changed = false;
        if (attEnd != equal || valBeg > equal + 1) {
            // blanks around '=' are removed from every Set-Cookie line HAProxy looks at
            int strippedBefore = 0;
            if (attEnd != equal) {
                System.arraycopy(b, equal, b, attEnd, hdrEnd - equal);
                strippedBefore = attEnd - equal;
                equal += strippedBefore;
                valBeg += strippedBefore;
            }
            if (valBeg > equal + 1) {
                System.arraycopy(b, valBeg, b, equal + 1, hdrEnd + strippedBefore - valBeg);
                int strippedAfter = (equal + 1) - valBeg;
                valBeg += strippedAfter;
                strippedBefore += strippedAfter;
            }
            valEnd += strippedBefore;
            hdrEnd += strippedBefore;
            changed = true;
        }
        if (!st.ignorePersist && attEnd - attBeg == name.length() && RequestCookies.regionEquals(b, attBeg, name)) {
            st.response = 'P';
            boolean insert = spec.mode() == CookieSpec.Mode.INSERT;
            if (spec.preserve()) {
                // the application keeps control of its own persistence cookie
            } else if (insert || (st.direct && spec.indirect())) {
                st.response = 'D';
                return null;
            } else if (serverCookie != null && spec.mode() == CookieSpec.Mode.REWRITE) {
                st.response = 'R';
                return new StringBuilder(hdrEnd + serverCookie.length()).append(b, 0, valBeg).append(serverCookie)
                        .append(b, valEnd, hdrEnd - valEnd).toString();
            } else if (serverCookie != null && spec.mode() == CookieSpec.Mode.PREFIX) {
                st.response = 'R';
                return new StringBuilder(hdrEnd + serverCookie.length() + 1).append(b, 0, valBeg)
                        .append(serverCookie).append('~').append(b, valBeg, hdrEnd - valBeg).toString();
            }
        }
        return changed ? new String(b, 0, hdrEnd) : value;
    }
}
