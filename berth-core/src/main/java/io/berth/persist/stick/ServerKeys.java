package io.berth.persist.stick;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The process-wide dictionary behind {@code server_key} (HAProxy's {@code server_key_dict}): each distinct server
 * name or {@code ip:port} gets a small id once, and table entries store that id in one word. Ids start at 1; 0
 * means "no value". Thread-safe; interning happens when a store commits, lookups by id are lock-free.
 */
public final class ServerKeys {
    private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
    private static volatile AtomicReferenceArray<String> names = new AtomicReferenceArray<>(64);
    private static int next = 1;

    private ServerKeys() {
    }

    /** The id of {@code key}, created on first use. */
    public static int intern(String key) {
        Integer id = IDS.get(key);
        if (id != null) {
            return id;
        }
        synchronized (ServerKeys.class) {
            id = IDS.get(key);
            if (id != null) {
                return id;
            }
            int n = next++;
            if (n >= names.length()) {
                AtomicReferenceArray<String> bigger = new AtomicReferenceArray<>(names.length() * 2);
                for (int i = 0; i < names.length(); i++) {
                    bigger.set(i, names.get(i));
                }
                names = bigger;
            }
            names.set(n, key);
            IDS.put(key, n);
            return n;
        }
    }

    /** The text of id {@code id}, or null for 0 / an unknown id. */
    public static String name(int id) {
        AtomicReferenceArray<String> a = names;
        return id <= 0 || id >= a.length() ? null : a.get(id);
    }
}
