package io.berth.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * The text surgery HTTP fetches need: comma-splitting header values, picking an occurrence, reading cookies
 * from {@code Cookie}/{@code Set-Cookie}, URL parameters and the path. Stateless; any thread.
 */
final class HttpText {
    private HttpText() {
    }

    /**
     * Splits each header line on commas, as HAProxy's {@code hdr()} does (no quote awareness), trimming blanks
     * around each value. {@code a, b ,c} gives {@code a}, {@code b}, {@code c}.
     */
    static List<String> splitValues(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int start = 0;
            while (true) {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? line.length() : comma;
                out.add(line.substring(start, end).strip());
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return out;
    }

    /**
     * Picks occurrence {@code occ}: 1-based from the first, negative from the last (-1 = last); null when there
     * is no such occurrence. {@code occ == 0} is not accepted by callers (they mean "all").
     */
    static String occurrence(List<String> values, int occ) {
        int n = values.size();
        int index = occ > 0 ? occ - 1 : n + occ;
        return index >= 0 && index < n ? values.get(index) : null;
    }

    /**
     * Every {@code name=value} pair of {@code Cookie} lines, in order: pairs separated by {@code ;}, blanks
     * around names and values removed (RFC 6265, as HAProxy does). A pair without {@code =} is skipped. For {@code Set-Cookie} lines ({@code response == true}) only the first
     * pair of each line is the cookie, the rest are attributes.
     */
    static List<String[]> cookies(List<String> lines, boolean response) {
        List<String[]> out = new ArrayList<>();
        for (String line : lines) {
            String[] pairs = response ? new String[]{line.split(";", 2)[0]} : line.split(";");
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = pair.substring(0, eq).strip();
                if (name.isEmpty()) {
                    continue;
                }
                out.add(new String[]{name, pair.substring(eq + 1).strip()});
            }
        }
        return out;
    }

    /** Values of cookie {@code name} ({@code null} = every cookie), in order of appearance. */
    static List<String> cookieValues(List<String> lines, boolean response, String name) {
        List<String> out = new ArrayList<>();
        for (String[] c : cookies(lines, response)) {
            if (name == null || c[0].equals(name)) {
                out.add(c[1]);
            }
        }
        return out;
    }

    /** The path part of a request target: from the first slash of an origin form up to {@code ?}. */
    /**
     * The query string: what follows the first {@code ?} (empty when nothing does), null without one (HAProxy's
     * {@code query} fetch then finds nothing).
     */
    static String query(String uri) {
        int q = uri == null ? -1 : uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    static String path(String uri) {
        if (uri == null) {
            return null;
        }
        String u = uri;
        int scheme = u.indexOf("://");
        if (scheme > 0 && !u.startsWith("/")) {
            int slash = u.indexOf('/', scheme + 3);
            u = slash < 0 ? "" : u.substring(slash);
        }
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }

    /**
     * URL parameters {@code name} ({@code null} = any) of the query string, which starts after {@code ?} or
     * {@code delim}; each ends before {@code &}, {@code ;} or {@code delim}. Values are not decoded.
     */
    static List<String> urlParams(String uri, String name, char delim) {
        List<String> out = new ArrayList<>();
        if (uri == null) {
            return out;
        }
        int start = -1;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || (delim != 0 && c == delim)) {
                start = i + 1;
                break;
            }
        }
        if (start < 0) {
            return out;
        }
        int i = start;
        while (i <= uri.length()) {
            int end = i;
            while (end < uri.length() && !isParamEnd(uri.charAt(end), delim)) {
                end++;
            }
            String param = uri.substring(i, end);
            int eq = param.indexOf('=');
            String pName = eq < 0 ? param : param.substring(0, eq);
            if (eq >= 0 && (name == null || pName.equals(name))) {
                out.add(param.substring(eq + 1));
            }
            i = end + 1;
        }
        return out;
    }

    private static boolean isParamEnd(char c, char delim) {
        return c == '&' || c == ';' || (delim != 0 && c == delim);
    }
}
