package io.berth.balance;

import io.berth.balance.hash.FullHash;
import io.berth.balance.hash.KeyHasher;
import io.berth.model.BalanceSpec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Computes the 32-bit key a hash-based {@code balance} looks up, exactly as HAProxy 2.6's {@code get_server_sh},
 * {@code get_server_uh}, {@code get_server_ph} and {@code get_server_hh} (src/backend.c) do, including the
 * {@code avalanche} step. Immutable; any thread.
 *
 * <p>Keys: {@code source} hashes nothing (IPv4 as a big-endian u32, 127.0.0.1 → 0x7f000001; IPv6 the XOR of its
 * four big-endian words); {@code uri} the bytes up to {@code ?} (unless {@code whole}), at most {@code len} bytes,
 * stopping before the (depth+1)-th {@code /}; {@code url_param} the value after {@code NAME=} up to {@code &};
 * {@code hdr(NAME)} the first comma-separated value of the first occurrence (or, with {@code use_domain_only},
 * the label before the last dot). HTTP request lines and headers are handled as ISO-8859-1, byte for byte.
 */
final class HashKey {
    /** Returned when the request lacks the input: the caller falls back to round robin. */
    static final long MISSING = -1;

    private final BalanceSpec spec;
    private final KeyHasher hasher;
    private final byte[] paramName;

    HashKey(BalanceSpec spec) {
        this.spec = spec;
        this.hasher = KeyHasher.of(spec.hashFunction());
        this.paramName = spec.argument() == null ? new byte[0] : spec.argument().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * @param totalUsed HAProxy's {@code tot_used}: with one server the key is 0 without looking at the request
     *                  (except for {@code url_param}, which HAProxy always parses)
     * @return the unsigned key, or {@link #MISSING}
     */
    long compute(BalanceRequest request, int totalUsed) {
        return switch (spec.algorithm()) {
            case SOURCE -> source(request.sourceAddress(), totalUsed);
            case URI -> {
                String uri = request.uri();
                yield uri == null ? MISSING : totalUsed == 1 ? 0 : finish(uri(latin1(uri)));
            }
            case URL_PARAM -> {
                String uri = request.uri();
                yield uri == null ? MISSING : urlParam(latin1(uri));
            }
            case HDR -> {
                if (totalUsed == 1) {
                    yield 0;
                }
                String value = request.header(spec.argument());
                yield value == null ? MISSING : header(latin1(value));
            }
            default -> throw new IllegalStateException("not a hash algorithm: " + spec.algorithm());
        };
    }

    private long source(InetAddress addr, int totalUsed) {
        if (!(addr instanceof Inet4Address) && !(addr instanceof Inet6Address)) {
            return MISSING; // not an IP client: round robin (HAProxy's fix after 2.6.0)
        }
        if (totalUsed == 1) {
            return 0;
        }
        byte[] b = addr.getAddress();
        int h = 0;
        for (int l = 0; l + 4 <= b.length; l += 4) {
            h ^= ((b[l] & 0xff) << 24) | ((b[l + 1] & 0xff) << 16) | ((b[l + 2] & 0xff) << 8) | (b[l + 3] & 0xff);
        }
        return Integer.toUnsignedLong(spec.avalanche() ? FullHash.of(h) : h);
    }

    private int uri(byte[] uri) {
        int uriLen = uri.length;
        if (spec.uriLen() > 0) {
            uriLen = Math.min(uriLen, spec.uriLen());
        }
        int depthEnd = spec.uriDepth() > 0 ? spec.uriDepth() + 1 : 0; // HAProxy stores depth+1
        int slashes = 0;
        int end = 0;
        while (uriLen-- > 0) {
            byte c = uri[end];
            if (c == '/') {
                slashes++;
                if (slashes == depthEnd) {
                    break;
                }
            } else if (c == '?' && !spec.uriWhole()) {
                break;
            }
            end++;
        }
        return hasher.hash(uri, 0, end);
    }

    private long urlParam(byte[] uri) {
        int q = indexOf(uri, (byte) '?', 0, uri.length);
        if (q < 0) {
            return MISSING;
        }
        int params = q + 1;
        int uriLen = uri.length - params;
        int plen = paramName.length;
        while (uriLen > plen) {
            if (uri[params + plen] == '=' && regionEquals(uri, params, paramName)) {
                int start = params + plen + 1;
                int end = start;
                uriLen -= plen + 1;
                while (uriLen > 0 && uri[end] != '&') {
                    uriLen--;
                    end++;
                }
                return finish(hasher.hash(uri, start, end - start));
            }
            int amp = indexOf(uri, (byte) '&', params, params + uriLen);
            if (amp < 0) {
                return MISSING;
            }
            uriLen -= amp + 1 - params;
            params = amp + 1;
        }
        return MISSING;
    }

    private long header(byte[] raw) {
        // http_find_header without "full": skip leading LWS, stop at the first comma outside quotes, trim LWS.
        int start = 0;
        while (start < raw.length && isLws(raw[start])) {
            start++;
        }
        int end = valueEnd(raw, start);
        while (end > start && isLws(raw[end - 1])) {
            end--;
        }
        int len = end - start;
        if (len == 0) {
            return MISSING; // empty header: round robin, as HAProxy
        }
        if (!spec.hdrUseDomainOnly()) {
            return finish(hasher.hash(raw, start, len));
        }
        // use_domain_only, HAProxy's pointer walk from the end: position p starts one past the value (never a
        // dot there); the last dot marks the end of the domain, the dot before it its start.
        int p = start + len;
        int domainEnd = p;
        boolean dohash = false;
        while (len > 0) {
            if (dohash) {
                if (raw[p - 1] == '.') {
                    break;
                }
            } else if (p < end && raw[p] == '.') {
                domainEnd = p;
                dohash = true;
            }
            p--;
            len--;
        }
        return finish(hasher.hash(raw, p, domainEnd - p));
    }

    private long finish(int hash) {
        return Integer.toUnsignedLong(spec.avalanche() ? FullHash.of(hash) : hash);
    }

    /** First comma outside a quoted string ({@code http_find_hdr_value_end}). */
    private static int valueEnd(byte[] s, int from) {
        boolean quoted = false;
        boolean qdpair = false;
        for (int i = from; i < s.length; i++) {
            byte c = s[i];
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
            } else if (c == ',') {
                return i;
            }
        }
        return s.length;
    }

    private static boolean isLws(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionEquals(byte[] b, int off, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (b[off + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
