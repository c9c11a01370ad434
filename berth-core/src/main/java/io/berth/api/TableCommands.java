package io.berth.api;

import io.berth.model.StickTableSpec;
import io.berth.persist.stick.ServerKeys;
import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickDataType;
import io.berth.persist.stick.StickEntry;
import io.berth.persist.stick.StickKeys;
import io.berth.persist.stick.StickTable;
import io.berth.persist.stick.StickTables;
import io.berth.runtime.Runtime;
import io.berth.sample.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code show table}, {@code show table NAME [data.TYPE OP VALUE]... [key KEY]}, {@code clear table NAME
 * [key KEY | data.TYPE OP VALUE...]} and {@code set table NAME key KEY [data.TYPE VALUE]...} over the stick tables
 * of the current runtime, with HAProxy 2.6's output and messages ({@code cli_parse_table_req} and the table dump
 * in src/stick_table.c). A user-level session sees the header only. Two departures, both on input HAProxy
 * mishandles: {@code set table NAME} without a key changes nothing (2.6 empties the table), and a data filter
 * on a type that is not a counter ({@code server_key}) matches nothing. Runs on socket threads; the table
 * takes its own segment locks.
 */
final class TableCommands {
    /** HAProxy's STKTABLE_FILTER_LEN: at most four data filters. */
    private static final int MAX_FILTERS = 4;
    private static final String OPS = "Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"";

    private TableCommands() {
    }

    static List<CliCommand> commands() {
        return List.of(
                CliCommand.of("show table", "show table <table> [<filter>]*",
                        "report table usage stats or dump this table's contents (filter: data/key)", CliLevel.USER,
                        TableCommands::show),
                CliCommand.of("clear table", "clear table <table> [<filter>]*",
                        "remove an entry from a table (filter: data/key)", CliLevel.USER, TableCommands::clear),
                CliCommand.of("set table", "set table <table> key <k> [data.* <v>]*",
                        "update or create a table entry's data", CliLevel.OPERATOR, TableCommands::set));
    }

    /** The stick tables the data plane uses for this runtime (none when its stick rules do not compile). */
    static List<StickTable> tables(Runtime rt) {
        try {
            StickTables t = io.berth.proxy.StickStep.tables(rt);
            return new ArrayList<>(t.tables());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static StickTable table(CliRequest r, String name) {
        for (StickTable t : tables(r.context().runtime())) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static String header(StickTable t) {
        return "# table: " + t.name() + ", type: " + t.spec().type().name().toLowerCase(Locale.ROOT) + ", size:"
                + t.spec().size() + ", used:" + t.used() + "\n";
    }

    /** One data filter: {@code data.TYPE OP VALUE}. */
    private record Filter(StickDataType type, String op, long value) {
        boolean test(StickEntry e) {
            if (type.kind == StickDataType.Kind.DICT) {
                return false;
            }
            long v = e.get(type);
            return switch (op) {
                case "eq" -> v == value;
                case "ne" -> v != value;
                case "le" -> v <= value;
                case "ge" -> v >= value;
                case "lt" -> v < value;
                default -> v > value;
            };
        }
    }

    /** What follows the table name: a key, or filters, or the error HAProxy prints. */
    private record Selection(int[] key, boolean keyGiven, List<Filter> filters, String error) {
    }

    private static Selection select(CliRequest r, StickTable t, String badArgument) {
        if (r.arg(3).equals("key")) {
            if (r.arg(4).isEmpty()) {
                return new Selection(null, true, List.of(), "Key value expected\n");
            }
            return new Selection(key(t, r.arg(4)), true, List.of(), null);
        }
        List<Filter> filters = new ArrayList<>();
        int i = 3;
        for (int n = 1; !r.arg(i).isEmpty(); n++, i += 3) {
            String w = r.arg(i);
            if (!w.startsWith("data.")) {
                return n == 1 ? new Selection(null, false, List.of(), badArgument)
                        : new Selection(null, false, List.of(), "Filter entry #" + n + ": Unknown data type\n");
            }
            if (n > MAX_FILTERS) {
                return new Selection(null, false, List.of(), "Detected extra data in filter, " + (i + 1)
                        + "th word of input, after '" + r.arg(i - 1) + "'\n");
            }
            StickDataType type = StickDataType.byKeyword(w.substring(5));
            if (type == null) {
                return new Selection(null, false, List.of(), "Filter entry #" + n + ": Unknown data type\n");
            }
            if (!t.layout().stores(type)) {
                return new Selection(null, false, List.of(),
                        "Filter entry #" + n + ": Data type not stored in this table\n");
            }
            String op = r.arg(i + 1);
            if (!List.of("eq", "ne", "le", "ge", "lt", "gt").contains(op)) {
                return new Selection(null, false, List.of(), "Filter entry #" + n + ": " + OPS + "\n");
            }
            Long v = integer(r.arg(i + 2));
            if (v == null) {
                return new Selection(null, false, List.of(),
                        "Filter entry #" + n + ": Require a valid integer value to compare against\n");
            }
            filters.add(new Filter(type, op, v));
        }
        return new Selection(null, false, filters, null);
    }

    private static String show(CliRequest r) {
        if (r.arg(2).isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (StickTable t : tables(r.context().runtime())) {
                out.append(header(t));
            }
            return out.toString();
        }
        StickTable t = table(r, r.arg(2));
        if (t == null) {
            return "No such table\n";
        }
        Selection sel = select(r, t, "Optional argument only supports \"data.<store_data_type>\" <operator> <value>"
                + " and key <key>\n");
        if (sel.error() != null) {
            return sel.error();
        }
        if (!r.level().allows(CliLevel.OPERATOR)) {
            return header(t) + "# contents not dumped due to insufficient privileges\n";
        }
        int now = StickClock.now();
        if (sel.keyGiven()) {
            StringBuilder one = new StringBuilder();
            if (sel.key() != null) {
                t.forEach(now, (k, e, expiresIn) -> {
                    if (java.util.Arrays.equals(k, sel.key())) {
                        one.append(line(t, k, e, expiresIn));
                    }
                });
            }
            return one.isEmpty() ? "" : header(t) + one;
        }
        java.util.List<java.util.Map.Entry<int[], String>> lines = new java.util.ArrayList<>();
        t.forEach(now, (k, e, expiresIn) -> {
            if (sel.filters().stream().allMatch(f -> f.test(e))) {
                lines.add(java.util.Map.entry(k, line(t, k, e, expiresIn)));
            }
        });
        lines.sort(java.util.Map.Entry.comparingByKey(keyOrder(t)));
        StringBuilder out = new StringBuilder(header(t));
        lines.forEach(l -> out.append(l.getValue()));
        return out.toString();
    }

    /**
     * HAProxy's dump order, its key tree's: the key's bytes compared as memcmp does. Berth packs key bytes big
     * endian into ints, so unsigned word order is that; an integer key sits in HAProxy's memory in the host's
     * (little-endian) byte order, so its least significant byte compares first.
     */
    static java.util.Comparator<int[]> keyOrder(StickTable t) {
        if (t.spec().type() == io.berth.model.StickTableSpec.KeyType.INTEGER) {
            return (a, b) -> Integer.compareUnsigned(Integer.reverseBytes(a[0]), Integer.reverseBytes(b[0]));
        }
        return java.util.Arrays::compareUnsigned;
    }

    private static String clear(CliRequest r) {
        String usage = "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key"
                + " <key>\n";
        if (r.arg(2).isEmpty()) {
            return usage;
        }
        StickTable t = table(r, r.arg(2));
        if (t == null) {
            return "No such table\n";
        }
        Selection sel = select(r, t, usage);
        if (sel.error() != null) {
            return sel.error();
        }
        boolean allowed = r.level().allows(CliLevel.OPERATOR);
        if (sel.keyGiven()) {
            if (!allowed) {
                return "Permission denied\n";
            }
            if (sel.key() != null) {
                t.remove(sel.key());
            }
            return "";
        }
        if (!allowed) {
            // HAProxy checks the level only on the key path: a user's filtered or full clear does nothing, quietly
            return "";
        }
        if (sel.filters().isEmpty()) {
            t.clear();
            return "";
        }
        List<int[]> doomed = new ArrayList<>();
        t.forEach(StickClock.now(), (k, e, expiresIn) -> {
            if (sel.filters().stream().allMatch(f -> f.test(e))) {
                doomed.add(k);
            }
        });
        doomed.forEach(t::remove);
        return "";
    }

    private static String set(CliRequest r) {
        StickTable t = r.arg(2).isEmpty() ? null : table(r, r.arg(2));
        if (t == null) {
            return r.arg(2).isEmpty() ? "" : "No such table\n";
        }
        if (r.arg(3).startsWith("data.")) {
            return "content-based lookup is only supported with the \"show\" and \"clear\" actions\n";
        }
        if (!r.arg(3).equals("key")) {
            return r.arg(3).isEmpty() ? "" : "Optional argument only supports \"data.<store_data_type>\" <operator>"
                    + " <value> and key <key>\n";
        }
        if (r.arg(4).isEmpty()) {
            return "Key value expected\n";
        }
        int[] key = key(t, r.arg(4));
        if (key == null) {
            return "Unable to parse key\n";
        }
        // HAProxy applies the values one by one and stops at the first bad one, keeping what was set before it
        StringBuilder error = new StringBuilder();
        boolean ok = t.update(key, StickClock.now(), true, true, e -> {
            for (int i = 5; !r.arg(i).isEmpty() && error.isEmpty(); i += 2) {
                String w = r.arg(i);
                if (!w.startsWith("data.")) {
                    error.append("\"data.<type>\" followed by a value expected\n");
                    break;
                }
                StickDataType type = StickDataType.byKeyword(w.substring(5));
                if (type == null) {
                    error.append("Unknown data type\n");
                } else if (!t.layout().stores(type)) {
                    error.append("Data type not stored in this table\n");
                } else {
                    Long v = type.kind == StickDataType.Kind.DICT ? null : integer(r.arg(i + 1));
                    if (v == null) {
                        error.append("Require a valid integer value to store\n");
                    } else {
                        e.set(type, v);
                    }
                }
            }
        });
        if (!ok) {
            return "Unable to allocate a new entry\n";
        }
        return error.toString();
    }

    /** HAProxy's {@code strl2llrc}-style integer: optional sign, digits, nothing else. */
    private static Long integer(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The key typed on the CLI, encoded for the table; null when it is not of the table's type. */
    static int[] key(StickTable t, String text) {
        StickTableSpec spec = t.spec();
        Sample s = switch (spec.type()) {
            case IP -> {
                Integer v = ipv4(text);
                yield v == null ? null : Sample.ofInt(v & 0xffffffffL);
            }
            case INTEGER -> {
                Long v = integer(text);
                yield v == null ? null : Sample.ofInt(v);
            }
            default -> Sample.ofString(text);
        };
        return s == null ? null : StickKeys.encode(s, spec.type(), spec.keySize());
    }

    /** Dotted IPv4 as a u32; each part is taken modulo 256, as HAProxy's parser does ({@code 300.1.1.1} → 44). */
    private static Integer ipv4(String text) {
        String[] p = text.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        int v = 0;
        for (String part : p) {
            if (part.isEmpty() || part.length() > 9 || !part.chars().allMatch(Character::isDigit)) {
                return null;
            }
            v = v << 8 | (Integer.parseInt(part) & 0xff);
        }
        return v;
    }

    /**
     * One entry as HAProxy prints it: {@code 0x<id>: key=K use=0 exp=MS} then the stored types in id order. The
     * pointer is the entry's hash (Berth has no addresses to show); {@code use} counts the streams tracking it.
     */
    static String line(StickTable t, int[] key, StickEntry e, int expiresIn) {
        StringBuilder out = new StringBuilder(128);
        out.append("0x").append(String.format("%012x", (java.util.Arrays.hashCode(key) & 0xffffffffL) << 4 | 0x5500_0000_0000L))
                .append(": key=").append(StickKeys.format(key, t.spec().type(), t.spec().keySize()))
                .append(" use=").append(e.uses()).append(" exp=").append(Math.max(0, expiresIn));
        for (StickDataType type : t.layout().stored()) {
            out.append(' ').append(type.keyword());
            if (type.isRate()) {
                out.append('(').append(t.layout().period(type)).append(')');
            }
            out.append('=');
            if (type.kind == StickDataType.Kind.DICT) {
                String name = ServerKeys.name((int) e.get(type));
                out.append(name == null ? "-" : name);
            } else {
                out.append(e.get(type));
            }
        }
        return out.append('\n').toString();
    }
}
