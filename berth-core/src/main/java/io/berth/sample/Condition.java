package io.berth.sample;

/** A compiled {@code if|unless} condition. Immutable, thread-safe. */
@FunctionalInterface
public interface Condition {
    Condition ALWAYS = ctx -> true;

    boolean test(SampleContext ctx);
}
