package io.berth.model;

/**
 * {@code balance ALGO [args]} plus {@code hash-type}.
 *
 * @param algorithm   the algorithm
 * @param argument    header name for {@code hdr(NAME)}, parameter name for {@code url_param}, draws for
 *                    {@code random(N)} (as text), else null
 * @param uriWhole    {@code uri whole}
 * @param uriLen      {@code uri len N}, 0 = unlimited
 * @param uriDepth    {@code uri depth N}, 0 = unlimited
 * @param hdrUseDomainOnly {@code hdr(...) use_domain_only}
 * @param hashType    map-based (default) or consistent
 * @param hashFunction sdbm (default), djb2, wt6, crc32
 * @param avalanche   {@code avalanche} given, or implied by {@code hash-type consistent} without a function
 */
public record BalanceSpec(Algorithm algorithm, String argument, boolean uriWhole, int uriLen, int uriDepth,
                          boolean hdrUseDomainOnly, HashType hashType, HashFunction hashFunction, boolean avalanche) {

    public enum Algorithm { ROUNDROBIN, STATIC_RR, LEASTCONN, FIRST, SOURCE, URI, URL_PARAM, HDR, RANDOM }

    public enum HashType { MAP_BASED, CONSISTENT }

    public enum HashFunction { SDBM, DJB2, WT6, CRC32 }

    public static final BalanceSpec DEFAULT = new BalanceSpec(Algorithm.ROUNDROBIN, null, false, 0, 0, false,
            HashType.MAP_BASED, HashFunction.SDBM, false);

    public boolean isHashBased() {
        return switch (algorithm) {
            case SOURCE, URI, URL_PARAM, HDR -> true;
            default -> false;
        };
    }
}
