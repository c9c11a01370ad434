package io.berth.config;

import io.berth.model.Location;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything read so far from the files, before names are resolved: the global draft, proxies in declaration
 * order, named defaults sections and peers sections. Parser thread only.
 */
public final class ConfigDraft {
    public final GlobalDraft global = new GlobalDraft();
    /** frontend, backend and listen sections in declaration order (their ids follow this order). */
    public final List<ProxyDraft> proxies = new ArrayList<>();
    public final Map<String, ProxyDraft> namedDefaults = new LinkedHashMap<>();
    public final List<PeersDraft> peers = new ArrayList<>();
    /** The last {@code defaults} section read: what a proxy without {@code from} inherits. */
    public ProxyDraft lastDefaults;
    /** Named defaults referenced with {@code from}, and where (HAProxy refuses mixing implicit use). */
    public final Map<String, Location> explicitlyUsedDefaults = new LinkedHashMap<>();
    /** Named defaults used implicitly (as the last defaults) by a proxy. */
    public final java.util.Set<String> implicitlyUsedDefaults = new java.util.HashSet<>();

    /** The proxy named {@code name} (frontend, backend or listen), or null. */
    public ProxyDraft proxy(String name) {
        for (ProxyDraft p : proxies) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
