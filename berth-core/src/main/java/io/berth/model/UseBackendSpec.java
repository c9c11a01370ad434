package io.berth.model;

/** {@code use_backend NAME [if|unless COND]}; {@code condition} is null when unconditional. */
public record UseBackendSpec(Location location, String backend, ConditionSpec condition) {
}
