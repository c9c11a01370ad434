package io.berth.runtime;

import io.berth.model.FrontendSpec;
import io.berth.model.TcpRuleSpec;
import io.berth.persist.stick.StickAction;
import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickCounters;
import io.berth.persist.stick.StickTables;
import io.berth.sample.Condition;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleContext;
import io.berth.sample.SampleException;

import java.util.ArrayList;
import java.util.List;

/**
 * The compiled {@code tcp-request connection|session|content} rules of one frontend: conditions, track-sc key
 * expressions and sc-inc-gpc actions compiled once (by {@link RuntimeBuilder}), so the data plane only evaluates.
 * Each phase runs its rules in order: {@code accept} stops the phase, {@code reject} stops everything (the caller
 * closes), track-sc and sc-inc-gpc go on to the next rule (HAProxy's {@code tcp_exec_l4_rules},
 * {@code tcp_exec_l5_rules}, {@code tcp_inspect_request}). Content rules run at once on what is known when they
 * are called (addresses in TCP mode, the request head in HTTP mode): Berth does not wait for more data up to
 * {@code tcp-request inspect-delay}, which is parsed and kept in the model only. Immutable; shared by all event
 * loops; {@link #run} runs on the connection's event loop.
 */
public final class TcpRules {
    /** No rules at all: what a frontend without {@code tcp-request} lines has. */
    public static final TcpRules NONE = new TcpRules(List.of(), List.of(), List.of(), -1);

    /** One compiled rule. {@code stick} is set for track-sc and sc-inc-gpc, null for accept and reject. */
    public record Rule(TcpRuleSpec spec, Verdict action, StickAction stick, Condition condition) {
    }

    /** What a phase decided. */
    public enum Verdict {
        /** Go on: an {@code accept} rule matched, or no rule stopped the phase. */
        ACCEPT,
        /** A {@code reject} rule matched: close the connection (or stream). */
        REJECT,
        /** A track-sc/sc-inc-gpc rule (only as a {@link Rule#action()}: it never ends a phase). */
        CONTINUE
    }

    /** Receives one compile error: where and HAProxy-style text. */
    public interface Problems {
        void report(io.berth.model.Location location, String message);
    }

    private final List<Rule> connection;
    private final List<Rule> session;
    private final List<Rule> content;
    private final long inspectDelay;

    private TcpRules(List<Rule> connection, List<Rule> session, List<Rule> content, long inspectDelay) {
        this.connection = List.copyOf(connection);
        this.session = List.copyOf(session);
        this.content = List.copyOf(content);
        this.inspectDelay = inspectDelay;
    }

    /**
     * Compiles the rules of {@code fe}; a rule that does not compile is reported and left out.
     *
     * @param tables the runtime's tables, which a track-sc's table must be one of
     */
    public static TcpRules compile(FrontendSpec fe, SampleCompiler compiler, StickTables tables, String proxyType,
                                   Problems problems) {
        return compile(fe.name(), fe.tcpRequestRules(), fe.tcpInspectDelay(), compiler, tables, proxyType, problems);
    }

    /** Compiles the content rules of a backend (run once the stream reaches it), its defaults' first. */
    public static TcpRules compile(io.berth.model.BackendSpec be, SampleCompiler compiler, StickTables tables,
                                   String proxyType, Problems problems) {
        return compile(be.name(), be.tcpRequestRules(), be.tcpInspectDelay(), compiler, tables, proxyType,
                problems);
    }

    private static TcpRules compile(String proxy, List<TcpRuleSpec> specs, long inspectDelay,
                                    SampleCompiler compiler, StickTables tables, String proxyType,
                                    Problems problems) {
        if (specs.isEmpty()) {
            return inspectDelay < 0 ? NONE : new TcpRules(List.of(), List.of(), List.of(), inspectDelay);
        }
        List<Rule> con = new ArrayList<>();
        List<Rule> ses = new ArrayList<>();
        List<Rule> cnt = new ArrayList<>();
        for (TcpRuleSpec spec : specs) {
            try {
                // a rule of a defaults section resolves a track-sc without 'table' there, as HAProxy parses it
                Rule r = compile(spec, compiler, tables, spec.defaults() != null ? spec.defaults() : proxy);
                (spec.phase() == TcpRuleSpec.Phase.CONNECTION ? con
                        : spec.phase() == TcpRuleSpec.Phase.SESSION ? ses : cnt).add(r);
            } catch (IllegalArgumentException e) {
                problems.report(spec.location(), "Proxy '" + proxy + "': " + e.getMessage() + ".");
            } catch (SampleException e) {
                problems.report(spec.location(), "'tcp-request " + spec.phase().word() + " " + spec.action()
                        + "' : error detected in " + proxyType + " '" + proxy + "' while parsing rule : "
                        + e.getMessage());
            }
        }
        return new TcpRules(con, ses, cnt, inspectDelay);
    }

    private static Rule compile(TcpRuleSpec spec, SampleCompiler compiler, StickTables tables, String proxy)
            throws SampleException {
        Condition condition = compiler.condition(spec.condition());
        return switch (spec.action()) {
            case "accept" -> new Rule(spec, Verdict.ACCEPT, null, condition);
            case "reject" -> new Rule(spec, Verdict.REJECT, null, condition);
            default -> {
                StickAction a = StickAction.compile(spec.action(), spec.args(), compiler, tables, proxy);
                yield new Rule(spec, Verdict.CONTINUE, a, condition);
            }
        };
    }

    /** True when the phase has rules (the data plane skips a phase without any). */
    public boolean has(TcpRuleSpec.Phase phase) {
        return !rules(phase).isEmpty();
    }

    /** {@code tcp-request inspect-delay} in ms, -1 when not set (kept for reference: see the class comment). */
    public long inspectDelay() {
        return inspectDelay;
    }

    /** The compiled rules of {@code phase}, in declaration order. */
    public List<Rule> rules(TcpRuleSpec.Phase phase) {
        return switch (phase) {
            case CONNECTION -> connection;
            case SESSION -> session;
            case CONTENT -> content;
        };
    }

    /**
     * Runs the rules of {@code phase} against {@code ctx}: track-sc rules track into {@code counters} (the
     * connection's for connection/session rules, the stream's for content rules; nothing when null, as without
     * any stick table), sc-inc-gpc rules count in the slot's entry.
     *
     * @return {@link Verdict#REJECT} when a reject rule matched, else {@link Verdict#ACCEPT}
     */
    public Verdict run(TcpRuleSpec.Phase phase, SampleContext ctx, StickCounters counters) {
        return run(phase, ctx, counters, false);
    }

    /**
     * {@link #run(TcpRuleSpec.Phase, SampleContext, StickCounters)}, where {@code backend} says that these are a
     * backend's rules: the slots they track are marked so ({@link StickCounters#backendHttpRequest}).
     */
    public Verdict run(TcpRuleSpec.Phase phase, SampleContext ctx, StickCounters counters, boolean backend) {
        for (Rule r : rules(phase)) {
            if (!r.condition().test(ctx)) {
                continue;
            }
            switch (r.action()) {
                case ACCEPT -> {
                    return Verdict.ACCEPT;
                }
                case REJECT -> {
                    return Verdict.REJECT;
                }
                case CONTINUE -> {
                    if (counters != null) {
                        int now = StickClock.now();
                        switch (r.stick().kind()) {
                            case TRACK -> counters.track(r.stick(), ctx, backend, now);
                            case INC_GPC0 -> counters.incGpc(r.stick().slot(), false, now);
                            case INC_GPC1 -> counters.incGpc(r.stick().slot(), true, now);
                        }
                    }
                }
            }
        }
        return Verdict.ACCEPT;
    }
}
