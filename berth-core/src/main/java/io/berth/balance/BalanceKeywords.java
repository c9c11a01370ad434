package io.berth.balance;

import io.berth.config.ConfigException;
import io.berth.config.Keyword;
import io.berth.config.KeywordContext;
import io.berth.config.ProxyDraft;
import io.berth.config.Section;
import io.berth.model.BalanceSpec.Algorithm;
import io.berth.model.BalanceSpec.HashFunction;
import io.berth.model.BalanceSpec.HashType;

import java.util.List;

/**
 * {@code balance} and {@code hash-type}, parsed into the proxy draft as HAProxy 2.6's {@code backend_parse_balance}
 * and {@code hash-type} parser do, with their messages. Owned by the balance subsystem; parser thread only.
 */
public final class BalanceKeywords {
    private BalanceKeywords() {
    }

    public static List<Keyword> keywords() {
        return List.of(
                Keyword.of("balance", "balance roundrobin|static-rr|leastconn|first|source|uri [whole] [len <n>]"
                        + " [depth <n>] [path-only]|url_param <name>|hdr(<name>) [use_domain_only]|random[(<draws>)]",
                        BalanceKeywords::balance, Section.BACKENDS),
                Keyword.of("hash-type", "hash-type map-based|consistent [sdbm|djb2|wt6|crc32] [avalanche]",
                        BalanceKeywords::hashType, Section.BACKENDS));
    }

    private static final String ONLY = "balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source',"
            + " 'uri', 'url_param', 'hdr(name)' and 'rdp-cookie(name)' options.";

    private static void balance(KeywordContext ctx) {
        ProxyDraft p = ctx.proxy();
        String algo = ctx.arg(1);
        if (algo.isEmpty()) {
            throw new ConfigException(ONLY);
        }
        p.balanceArgument = null;
        p.uriWhole = false;
        p.uriLen = 0;
        p.uriDepth = 0;
        p.hdrUseDomainOnly = false;
        if (algo.equals("roundrobin")) {
            p.algorithm = Algorithm.ROUNDROBIN;
        } else if (algo.equals("static-rr")) {
            p.algorithm = Algorithm.STATIC_RR;
        } else if (algo.equals("leastconn")) {
            p.algorithm = Algorithm.LEASTCONN;
        } else if (algo.equals("first")) {
            p.algorithm = Algorithm.FIRST;
        } else if (algo.equals("source")) {
            p.algorithm = Algorithm.SOURCE;
        } else if (algo.equals("uri")) {
            p.algorithm = Algorithm.URI;
            uriOptions(ctx, p);
        } else if (algo.equals("url_param")) {
            if (ctx.arg(2).isEmpty()) {
                throw new ConfigException("balance url_param requires an URL parameter name.");
            }
            p.algorithm = Algorithm.URL_PARAM;
            p.balanceArgument = ctx.arg(2);
            if (!ctx.arg(3).isEmpty() && !ctx.arg(3).equals("check_post")) {
                throw new ConfigException("'balance url_param' : unexpected argument '" + ctx.arg(3) + "'.");
            }
        } else if (algo.startsWith("hdr(")) {
            int end = algo.indexOf(')');
            if (end < 0 || end == 4) {
                throw new ConfigException("hdr requires an http header field name.");
            }
            p.algorithm = Algorithm.HDR;
            p.balanceArgument = algo.substring(4, end);
            if (ctx.arg(2).equals("use_domain_only")) {
                p.hdrUseDomainOnly = true;
            } else if (!ctx.arg(2).isEmpty()) {
                throw new ConfigException("hdr(name) only accepts 'use_domain_only' modifier (got '" + ctx.arg(2)
                        + "').");
            }
        } else if (algo.equals("random") || algo.startsWith("random(")) {
            p.algorithm = Algorithm.RANDOM;
            String draws = "2";
            if (algo.startsWith("random(")) {
                int end = algo.indexOf(')');
                draws = end < 0 ? "" : algo.substring(7, end);
                if (draws.isEmpty() || !draws.chars().allMatch(Character::isDigit) || Integer.parseInt(draws) < 1) {
                    throw new ConfigException("random : number of draws must be at least 1.");
                }
            }
            p.balanceArgument = draws;
        } else if (algo.startsWith("rdp-cookie") || algo.equals("hash")) {
            throw new ConfigException("'balance " + algo + "' is not yet supported by Berth.");
        } else {
            throw new ConfigException(ONLY);
        }
    }

    private static void uriOptions(KeywordContext ctx, ProxyDraft p) {
        int i = 2;
        while (!ctx.arg(i).isEmpty()) {
            String w = ctx.arg(i);
            switch (w) {
                case "whole" -> i++;
                case "path-only" -> i++;
                case "len", "depth" -> {
                    String v = ctx.arg(i + 1);
                    if (v.isEmpty() || !v.chars().allMatch(Character::isDigit) || Long.parseLong(v) <= 0) {
                        throw new ConfigException("balance uri : '" + w + "' expects a positive integer (got '" + v
                                + "').");
                    }
                    if (w.equals("len")) {
                        p.uriLen = Integer.parseInt(v);
                    } else {
                        p.uriDepth = Integer.parseInt(v);
                    }
                    i += 2;
                }
                default -> throw new ConfigException("balance uri only accepts parameters 'len', 'depth',"
                        + " 'path-only' and 'whole'.");
            }
            if (w.equals("whole")) {
                p.uriWhole = true;
            }
        }
    }

    private static void hashType(KeywordContext ctx) {
        ProxyDraft p = ctx.proxy();
        switch (ctx.arg(1)) {
            case "map-based" -> p.hashType = HashType.MAP_BASED;
            case "consistent" -> p.hashType = HashType.CONSISTENT;
            case "avalanche" -> throw new ConfigException("'hash-type avalanche' is not supported anymore, use"
                    + " 'hash-type map-based avalanche' instead.");
            default -> throw new ConfigException("'hash-type' only supports 'consistent' and 'map-based'.");
        }
        String function = ctx.arg(2);
        p.avalanche = false;
        if (function.isEmpty()) {
            // reference §3.2: "consistent" alone is sdbm with avalanche; "map-based" alone is plain sdbm
            p.hashFunction = HashFunction.SDBM;
            p.avalanche = p.hashType == HashType.CONSISTENT;
            return;
        }
        p.hashFunction = switch (function) {
            case "sdbm" -> HashFunction.SDBM;
            case "djb2" -> HashFunction.DJB2;
            case "wt6" -> HashFunction.WT6;
            case "crc32" -> HashFunction.CRC32;
            default -> throw new ConfigException("'hash-type' only supports 'sdbm', 'djb2', 'crc32', or 'wt6' hash"
                    + " functions.");
        };
        if (ctx.arg(3).equals("avalanche")) {
            p.avalanche = true;
        } else if (!ctx.arg(3).isEmpty()) {
            throw new ConfigException("hash-type: unknown hash modifier '" + ctx.arg(3) + "'.");
        }
    }
}
