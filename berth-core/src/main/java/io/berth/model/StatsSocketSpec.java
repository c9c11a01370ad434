package io.berth.model;

import java.util.List;

/**
 * {@code stats socket PATH|ipv4@ADDR:PORT [mode OCTAL] [level user|operator|admin] [uid|gid|user|group X]...}.
 *
 * @param address path of a Unix socket, or {@code ipv4@host:port}
 * @param mode    file mode for a Unix socket, or -1 when not given
 * @param level   {@code user}, {@code operator} (default) or {@code admin}
 * @param options every word after the address, for options this record does not name
 */
public record StatsSocketSpec(Location location, String address, int mode, String level, List<String> options) {
    public StatsSocketSpec {
        options = List.copyOf(options);
    }
}
