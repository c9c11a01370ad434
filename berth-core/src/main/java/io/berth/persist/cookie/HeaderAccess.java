package io.berth.persist.cookie;

import java.util.List;

/**
 * The few header operations cookie persistence needs from one HTTP message, implemented by the data plane over
 * its own header store (so this package needs no Netty). Names are passed in lower case.
 */
public interface HeaderAccess {
    /** Every occurrence of header {@code name}, in order, each value whole (not split on commas). */
    List<String> all(String name);

    /** Whether header {@code name} is present; override when the store can answer without building a list. */
    default boolean contains(String name) {
        return !all(name).isEmpty();
    }

    /** Replaces every occurrence of {@code name} with {@code values} in order (none left when empty). */
    void replace(String name, List<String> values);

    /** Appends one header line after the others. */
    void add(String name, String value);
}
