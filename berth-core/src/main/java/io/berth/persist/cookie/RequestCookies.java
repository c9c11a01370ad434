package io.berth.persist.cookie;

import io.berth.model.CookieSpec;

/**
 * The request side of cookie persistence, a port of HAProxy 2.6's {@code http_manage_client_side_cookies}: every
 * {@code Cookie} header is split on {@code ;} and {@code ,} (quoted values respected), blanks around {@code =} are
 * removed (in every cookie of the header, as HAProxy rewrites them), {@code $attr} entries are skipped and valueless
 * tokens kept. The persistence cookie ({@code NAME=SRV[|LAST[|FIRST]]}, or {@code NAME=SRV~OPAQUE} in prefix mode)
 * picks the first server in declaration order whose cookie equals SRV and which is running (letter {@code V}); a
 * matching stopped server gives {@code D} (used anyway under {@code option persist}/{@code force-persist}); no match
 * gives {@code I}; too old or idle cookies give {@code O}/{@code E}; ignored persistence gives {@code U}. In
 * insert+indirect mode the cookie is removed from the header (the others stay well-formed); in prefix mode
 * {@code SRV~} is stripped. Immutable and shared by every event loop; the per-request state is in
 * {@link CookieState}.
 */
final class RequestCookies {
    private final String name;
    private final boolean prefix;
    private final boolean insertIndirect;
    private final int maxIdle;
    private final int maxLife;
    private final boolean persist;

    RequestCookies(CookieSpec spec, boolean optionPersist) {
        this.name = spec.name();
        this.prefix = spec.mode() == CookieSpec.Mode.PREFIX;
        this.insertIndirect = spec.mode() == CookieSpec.Mode.INSERT && spec.indirect();
        this.maxIdle = (int) spec.maxIdle();
        this.maxLife = (int) spec.maxLife();
        this.persist = optionPersist;
    }

    static boolean isSpHt(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Processes one Cookie header value.
     *
     * @return {@code value} itself when nothing changed, the rewritten value, or null when the header must go
     */
    String process(String value, CookieState st, ServerCookies servers, long now) {
        char[] b = Scratch.copyOf(value);
        final int hdrBeg = 0;
        int hdrEnd = value.length();
        int delFrom = -1;
        boolean preserveHdr = false;
        boolean isFirst = true;
        int next;
        for (int prev = hdrBeg; prev < hdrEnd; prev = next) {
            int attBeg = prev;
            if (!isFirst) {
                attBeg++;
            }
            isFirst = false;
            while (attBeg < hdrEnd && isSpHt(b[attBeg])) {
                attBeg++;
            }
            // att_end: first char after the last non-blank before '=' or a delimiter
            int equal = attBeg;
            int attEnd = attBeg;
            while (equal < hdrEnd) {
                char c = b[equal];
                if (c == '=' || c == ',' || c == ';') {
                    break;
                }
                equal++;
                if (isSpHt(c)) {
                    continue;
                }
                attEnd = equal;
            }
            int valBeg;
            int valEnd;
            if (equal < hdrEnd && b[equal] == '=') {
                valBeg = equal + 1;
                while (valBeg < hdrEnd && isSpHt(b[valBeg])) {
                    valBeg++;
                }
                next = valueEnd(b, valBeg, hdrEnd, true);
                valEnd = next;
                while (valEnd > valBeg && isSpHt(b[valEnd - 1])) {
                    valEnd--;
                }
            } else {
                valBeg = valEnd = next = equal;
            }
            // $Version, $Path...: attributes of the previous cookie, left alone.
            if (attBeg < hdrEnd && b[attBeg] == '$') {
                continue;
            }
            if (equal == next) {
                // a token without '=': not ours, so the header stays, but a pending deletion is done now
                preserveHdr = true;
                if (delFrom >= 0) {
                    int delta = delValue(b, hdrBeg, hdrEnd, delFrom, prev);
                    next += delta;
                    hdrEnd += delta;
                    delFrom = -1;
                }
                continue;
            }
            if (attEnd != equal || valBeg > equal + 1) {
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
                next += strippedBefore;
                hdrEnd += strippedBefore;
            }
            if (attEnd - attBeg == name.length() && regionEquals(b, attBeg, name)) {
                int delim;
                if (prefix) {
                    delim = valBeg;
                    while (delim < valEnd && b[delim] != '~') {
                        delim++;
                    }
                } else {
                    delim = valEnd;
                    int vbar1 = indexOf(b, '|', valBeg, valEnd);
                    if (vbar1 >= 0) {
                        delim = vbar1++;
                        if (valEnd - vbar1 >= 5) {
                            int val = CookieDate.decode(b, vbar1);
                            if (val > 0) {
                                st.lastDate = val << 2;
                            }
                        }
                        vbar1 = indexOf(b, '|', vbar1, valEnd);
                        if (vbar1 >= 0 && valEnd - vbar1 > 5) {
                            int val = CookieDate.decode(b, vbar1 + 1);
                            if (val > 0) {
                                st.firstDate = val << 2;
                            }
                        }
                    }
                }
                // HAProxy compares in 32-bit signed arithmetic; a date over one day ahead is refused too.
                if (st.firstDate != 0 && maxLife != 0
                        && ((int) (now - Integer.toUnsignedLong(st.firstDate)) > maxLife
                        || (int) (Integer.toUnsignedLong(st.firstDate) - now) > 86400)) {
                    st.request = 'O';
                    delim = valBeg;
                    st.firstDate = 0;
                    st.lastDate = 0;
                } else if (st.lastDate != 0 && maxIdle != 0
                        && ((int) (now - Integer.toUnsignedLong(st.lastDate)) > maxIdle
                        || (int) (Integer.toUnsignedLong(st.lastDate) - now) > 86400)) {
                    st.request = 'E';
                    delim = valBeg;
                    st.firstDate = 0;
                    st.lastDate = 0;
                }
                boolean found = false;
                // an empty value never designates a server (a cookie-less backup would catch everyone)
                if (delim != valBeg && !st.ignorePersist && !st.assigned) {
                    int len = delim - valBeg;
                    for (int i = 0; i < servers.servers.length; i++) {
                        String c = servers.cookies[i];
                        if (c == null || c.length() != len || !regionEquals(b, valBeg, c)) {
                            continue;
                        }
                        boolean running = servers.servers[i].state().isRunning();
                        if (running || persist || st.forcePersist) {
                            st.request = running ? 'V' : 'D';
                            st.direct = true;
                            st.assigned = true;
                            st.target = servers.servers[i];
                            found = true;
                            break;
                        }
                        st.request = 'D';
                    }
                }
                if (!found && st.request == 'N') {
                    st.request = st.ignorePersist || st.assigned ? 'U' : 'I';
                }
                if (prefix && delim != valEnd) {
                    System.arraycopy(b, delim + 1, b, valBeg, hdrEnd - (delim + 1));
                    int delta = valBeg - (delim + 1);
                    next += delta;
                    hdrEnd += delta;
                    delFrom = -1;
                    preserveHdr = true;
                } else if (delFrom < 0 && insertIndirect) {
                    delFrom = prev;
                }
            } else {
                preserveHdr = true;
                if (delFrom >= 0) {
                    int delta = delValue(b, hdrBeg, hdrEnd, delFrom, prev);
                    next += delta;
                    hdrEnd += delta;
                    delFrom = -1;
                }
            }
        }
        if (delFrom >= 0) {
            hdrEnd = preserveHdr ? delFrom : hdrBeg;
        }
        if (hdrEnd - hdrBeg == value.length()) {
            return value;
        }
        return hdrEnd == hdrBeg ? null : new String(b, hdrBeg, hdrEnd - hdrBeg);
    }

    /**
     * Removes the cookies between {@code from} (a delimiter, or the header start) and {@code next} (the delimiter
     * before the current cookie), as {@code http_del_hdr_value}: at the start the following delimiter and blanks go
     * too; elsewhere the blanks before {@code from} go and the delimiter is kept, followed by one space when there
     * was room. Returns the (negative) length change.
     */
    static int delValue(char[] b, int start, int end, int from, int next) {
        int prev = from;
        if (prev == start) {
            if (next < end) {
                next++;
            }
            while (next < end && isSpHt(b[next])) {
                next++;
            }
        } else {
            while (prev > start && isSpHt(b[prev - 1])) {
                prev--;
            }
            if (next < end) {
                b[prev++] = b[next++];
                if (prev + 1 < next) {
                    b[prev++] = ' ';
                }
                while (next < end && isSpHt(b[next])) {
                    next++;
                }
            }
        }
        System.arraycopy(b, next, b, prev, end - next);
        return prev - next;
    }

    /**
     * End of a cookie value from {@code s}: the first unquoted {@code ,} or {@code ;} (only {@code ;} ends nothing
     * for Set-Cookie, handled by the caller), honouring {@code "..."} and backslash pairs inside quotes, as
     * {@code http_find_cookie_value_end}.
     */
    static int valueEnd(char[] b, int s, int e, boolean commaEnds) {
        boolean quoted = false;
        boolean qdpair = false;
        for (; s < e; s++) {
            char c = b[s];
            if (qdpair) {
                qdpair = false;
            } else if (quoted) {
                if (c == '\\') {
                    qdpair = true;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if ((commaEnds && c == ',') || c == ';') {
                return s;
            }
        }
        return s;
    }

    static boolean regionEquals(char[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(char[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
