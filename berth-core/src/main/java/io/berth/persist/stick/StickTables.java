package io.berth.persist.stick;

import io.berth.model.BackendSpec;
import io.berth.model.Config;
import io.berth.model.FrontendSpec;
import io.berth.model.StickRuleSpec;
import io.berth.model.StickTableSpec;
import io.berth.sample.Condition;
import io.berth.sample.SampleCompiler;
import io.berth.sample.SampleException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stick tables (each backend's, and those of {@code table} lines in {@code peers} sections, named
 * {@code SECTION/NAME}) and compiled stick rules of one configuration. Built once per runtime (on the configuration
 * thread); a reload passes the previous instance so a table of the same name, key type and key size keeps its
 * entries, as HAProxy keeps them through its local peer. Immutable in structure; tables are thread-safe.
 */
public final class StickTables {
    private final Map<String, StickTable> tables;
    private final Map<String, StickRules> rules;

    private StickTables(Map<String, StickTable> tables, Map<String, StickRules> rules) {
        this.tables = tables;
        this.rules = rules;
    }

    /** A post-parse problem: where and HAProxy's message. */
    public interface Problems {
        void report(io.berth.model.Location location, String message);
    }

    /**
     * @param previous the tables of the runtime being replaced, or null
     * @throws IllegalArgumentException with HAProxy's post-parse message when a rule names no table, or an
     *                                  expression or condition does not compile (the first problem)
     */
    public static StickTables build(Config config, StickTables previous) {
        String[] first = {null};
        StickTables t = build(config, previous, (at, message) -> {
            if (first[0] == null) {
                first[0] = message;
            }
        });
        if (first[0] != null) {
            throw new IllegalArgumentException(first[0]);
        }
        return t;
    }

    /**
     * Builds the tables (keeping the previous runtime's table of the same name and definition, entries
     * included) and compiles every backend's stick rules, reporting each problem with the rule's line; a rule
     * that does not compile is left out.
     */
    public static StickTables build(Config config, StickTables previous, Problems problems) {
        // HAProxy adds server_id and server_key to every table a stick rule uses
        Set<String> usedByRules = new java.util.HashSet<>();
        for (BackendSpec b : config.backends()) {
            b.stickRules().forEach(r -> usedByRules.add(r.tableName(b.name())));
        }
        List<StickTableSpec> specs = new ArrayList<>();
        // a frontend's own table (the usual rate limit: track-sc0 src in the frontend itself)
        for (FrontendSpec f : config.frontends()) {
            if (f.stickTable() != null) {
                specs.add(f.stickTable());
            }
        }
        for (BackendSpec b : config.backends()) {
            if (b.stickTable() != null) {
                specs.add(b.stickTable());
            }
        }
        // tables declared in peers sections ("SECTION/NAME"); HAProxy keeps them even when the section is
        // dropped for lacking the local peer, only unsynced
        config.peers().forEach(p -> specs.addAll(p.tables()));
        Map<String, StickTable> tables = new LinkedHashMap<>();
        for (StickTableSpec spec : specs) {
            Set<StickDataType> extra = usedByRules.contains(spec.name())
                    ? EnumSet.of(StickDataType.SERVER_ID, StickDataType.SERVER_KEY)
                    : EnumSet.noneOf(StickDataType.class);
            StickTable old = previous == null ? null : previous.table(spec.name());
            tables.putIfAbsent(spec.name(), old != null && sameShape(old.spec(), spec)
                    && old.layout().stored().containsAll(extra) ? old : new StickTable(spec, extra));
        }
        Map<String, StickRules> rules = new HashMap<>();
        for (BackendSpec b : config.backends()) {
            if (b.stickRules().isEmpty()) {
                continue;
            }
            SampleCompiler compiler = new SampleCompiler(b.acls());
            List<StickRules.Rule> list = new ArrayList<>();
            for (StickRuleSpec r : b.stickRules()) {
                StickTable t = tables.get(r.tableName(b.name()));
                if (t == null) {
                    problems.report(r.location(), "Proxy '" + b.name() + "': unable to find stick-table '"
                            + r.tableName(b.name()) + "'.");
                    continue;
                }
                try {
                    Condition c = compiler.condition(r.condition());
                    list.add(new StickRules.Rule(r.kind(), compiler.typedExpression(r.expression()), c, t));
                } catch (SampleException e) {
                    problems.report(r.location(), "'stick': error detected while parsing sticking condition : "
                            + e.getMessage() + ".");
                }
            }
            rules.put(b.name(), new StickRules(list, b.options().persist()));
        }
        return new StickTables(tables, rules);
    }

    /**
     * A reload keeps a table's entries when HAProxy would pass them through its local peer: same name (the map
     * key), key type and key size; size, expire and stored data may change (Berth's data layout must then be the
     * same, so the table is kept only when the whole definition matches).
     */
    private static boolean sameShape(StickTableSpec a, StickTableSpec b) {
        return a.type() == b.type() && a.keySize() == b.keySize() && a.size() == b.size()
                && a.expireMs() == b.expireMs() && a.nopurge() == b.nopurge() && a.store().equals(b.store())
                && a.serverKey() == b.serverKey();
    }

    /** The table named {@code name} (its proxy's name, or {@code SECTION/NAME}), or null. */
    public StickTable table(String name) {
        return tables.get(name);
    }

    public Collection<StickTable> tables() {
        return tables.values();
    }

    /** The stick rules of backend {@code backend}, or null when it has none. */
    public StickRules rules(String backend) {
        return rules.get(backend);
    }

    /** One slice of the expiry task over every table; true when more expired entries may be waiting. */
    public boolean expireSlice(int now, int budget) {
        boolean more = false;
        for (StickTable t : tables.values()) {
            more |= t.expireSlice(now, budget);
        }
        return more;
    }

    /** Runs one expiry slice over every table; see {@link StickTable#expire}. */
    public int expire(int now, int budget) {
        int n = 0;
        for (StickTable t : tables.values()) {
            n += t.expire(now, budget);
        }
        return n;
    }
}
