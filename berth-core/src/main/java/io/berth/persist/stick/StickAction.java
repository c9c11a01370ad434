package io.berth.persist.stick;

import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleContext;
import io.berth.sample.SampleException;
import io.berth.sample.TypedExpr;

import java.util.List;

/**
 * A compiled stick-counter action of an {@code http-request} rule: {@code track-sc0|1|2 <key> [table <table>]}
 * (HAProxy's {@code ACT_ACTION_TRACK_SC*}: only the first rule tracking a slot applies) or
 * {@code sc-inc-gpc0(<sc>)} / {@code sc-inc-gpc1(<sc>)}. Built by the runtime builder with the runtime's tables;
 * immutable and shared by all event loops; {@link #apply} runs on the stream's event loop.
 *
 * @param slot  the counter, 0..2
 * @param expr  track: the key expression; null for sc-inc-gpc*
 * @param table track: the table's name, checked at build time and looked up in the stream's runtime at run time
 *              (so a runtime rebuilt around the same rules keeps one set of tables); null for sc-inc-gpc*
 */
public record StickAction(Kind kind, int slot, TypedExpr expr, String table) {
    public enum Kind { TRACK, INC_GPC0, INC_GPC1 }

    /** True for the action words this class compiles ({@code track-sc0}, {@code sc-inc-gpc0(1)}, ...). */
    public static boolean handles(String action) {
        return action.matches("track-sc[0-9]+") || action.matches("sc-inc-gpc[01]\\(.*\\)");
    }

    /**
     * Compiles one action.
     *
     * @param proxy the rule's proxy: its own table is the default
     * @throws IllegalArgumentException with HAProxy's post-parse message, to be prefixed {@code Proxy 'NAME': }
     * @throws SampleException when the key expression does not compile
     */
    public static StickAction compile(String action, List<String> args, SampleCompiler compiler, StickTables tables,
                                      String proxy) throws SampleException {
        if (action.startsWith("track-sc")) {
            int slot = Integer.parseInt(action.substring(8));
            if (slot >= StickCounters.SLOTS) {
                throw new SampleException("'" + action + "' : unknown action (counter " + slot + " must be lower"
                        + " than " + StickCounters.SLOTS + ")");
            }
            if (args.isEmpty()) {
                throw new SampleException("'" + action + "' : missing fetch method");
            }
            String name = proxy;
            if (args.size() >= 3 && args.get(1).equals("table")) {
                name = args.get(2);
            } else if (args.size() > 1) {
                throw new SampleException("'" + action + "' : unexpected argument '" + args.get(1) + "'");
            }
            TypedExpr expr = compiler.typedExpression(args.get(0));
            StickTable t = tables.table(name);
            if (t == null) {
                throw new IllegalArgumentException("unable to find table '" + name + "' referenced by track-sc"
                        + slot);
            }
            return new StickAction(Kind.TRACK, slot, expr, name);
        }
        int open = action.indexOf('(');
        String n = action.substring(open + 1, action.length() - 1).strip();
        int slot;
        try {
            slot = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new SampleException("invalid stick table track ID '" + n + "'. The max allowed ID is "
                    + (StickCounters.SLOTS - 1));
        }
        if (slot < 0 || slot >= StickCounters.SLOTS) {
            throw new SampleException("invalid stick table track ID '" + n + "'. The max allowed ID is "
                    + (StickCounters.SLOTS - 1));
        }
        return new StickAction(action.startsWith("sc-inc-gpc1") ? Kind.INC_GPC1 : Kind.INC_GPC0, slot, null, null);
    }

    /** Runs the action for the stream whose facts {@code ctx} gives; nothing when it has no stick counters. */
    public void apply(SampleContext ctx) {
        if (!(ctx.trackedCounters() instanceof StickCounters c)) {
            return;
        }
        int now = StickClock.now();
        switch (kind) {
            case TRACK -> {
                StickTable t = c.tables().table(table);
                if (t != null && !c.isTracked(slot)) {
                    int[] k = StickKeys.encode(expr.sample(ctx), t.spec().type(), t.spec().keySize());
                    if (k != null) {
                        c.track(slot, t, k, true, now);
                    }
                }
            }
            case INC_GPC0 -> c.incGpc(slot, false, now);
            case INC_GPC1 -> c.incGpc(slot, true, now);
        }
    }
}
