package io.berth.model;

import java.util.List;

/**
 * A {@code stick-table} line: {@code type ip|ipv6|integer|string [len N]|binary [len N] size N [expire T]
 * [nopurge] [peers P] [srvkey name|addr] [store d1,d2(arg),...]}. Immutable; the runtime compiles its data
 * layout once from this record.
 *
 * @param name      the table's name: its proxy's name, or {@code SECTION/NAME} for a {@code table} line of a
 *                  {@code peers} section
 * @param keySize   HAProxy's key size in bytes: ip 4, ipv6 16, integer 4, string {@code len}+1 (default 32 incl.
 *                  NUL, so 31 characters), binary {@code len} (default 32)
 * @param size      maximum number of entries ({@code 200k} = 204800)
 * @param expireMs  {@code expire}, 0 when entries never expire
 * @param peers     the {@code peers} section name, or null
 * @param store     the {@code store} data types in the order written
 */
public record StickTableSpec(String name, Location location, KeyType type, int keySize, long size, long expireMs,
                             boolean nopurge, String peers, ServerKeyType serverKey, List<StoreSpec> store) {
    public StickTableSpec {
        store = List.copyOf(store);
    }

    /**
     * The table's name in the peers protocol (HAProxy's {@code nid}): a table declared by a {@code table} line of
     * a {@code peers} section is named {@code SECTION/NAME} locally and {@code /NAME} on the wire; any other table
     * travels under its proxy's name. Proxy names cannot hold a '/', so the prefix identifies the former.
     */
    public String wireName() {
        if (peers != null && name.length() > peers.length() && name.startsWith(peers)
                && name.charAt(peers.length()) == '/') {
            return name.substring(peers.length());
        }
        return name;
    }

    /** The key types, with HAProxy's keywords. */
    public enum KeyType {
        IP("ip"), IPV6("ipv6"), INTEGER("integer"), STRING("string"), BINARY("binary");

        private final String word;

        KeyType(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** What {@code server_key} holds: the server's name (default) or its {@code ip:port}. */
    public enum ServerKeyType { NAME, ADDR }

    /**
     * One {@code store} item.
     *
     * @param dataType the data type's keyword, e.g. {@code http_req_rate} ({@code server_name} already mapped to
     *                 {@code server_key})
     * @param period   a rate's period in ms, -1 for types without an argument
     */
    public record StoreSpec(String dataType, long period) {
    }
}
