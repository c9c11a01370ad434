package io.berth.sample;

import java.net.InetAddress;

/**
 * A compiled expression that also gives its value typed: the address for {@code src}, the integer for
 * {@code src_port}, so stick tables and {@code -m ip} callers do not re-parse text. Immutable, thread-safe.
 */
public final class TypedExpr implements SampleExpr {
    private final CompiledExpr expr;

    TypedExpr(CompiledExpr expr) {
        this.expr = expr;
    }

    /** The declared output type: the last converter's, or the fetch's ({@code src} → IP). */
    public Sample.Type type() {
        return expr.type();
    }

    /** The typed value, or null when the sample does not exist. */
    public Sample sample(SampleContext ctx) {
        return expr.sample(ctx);
    }

    /** The value as an address, or null when absent or not an address. */
    public InetAddress address(SampleContext ctx) {
        Sample s = expr.sample(ctx);
        return s == null ? null : s.asIp();
    }

    @Override
    public String evaluate(SampleContext ctx) {
        return expr.evaluate(ctx);
    }

    @Override
    public String toString() {
        return expr.text();
    }
}
