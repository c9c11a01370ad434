package io.berth.sample;

/** A compiled fetch with its converters; yields a string, or null when the sample does not exist. */
@FunctionalInterface
public interface SampleExpr {
    String evaluate(SampleContext ctx);
}
