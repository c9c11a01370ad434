package io.berth.log;

import io.berth.config.Addresses;
import io.berth.config.ConfigException;
import io.berth.config.Keyword;
import io.berth.config.KeywordContext;
import io.berth.config.Section;
import io.berth.model.LogTargetSpec;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code log} in global and proxy sections: {@code log global}, {@code no log}, and
 * {@code log stdout|stderr|ADDR[:PORT] [len N] [format F] FACILITY [LEVEL [MINLEVEL]]}, with HAProxy's messages.
 * Owned by the log subsystem; parser thread only.
 */
public final class LogKeywords {
    private LogKeywords() {
    }

    static final Set<String> FACILITIES = Set.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7");
    static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");
    static final Set<String> FORMATS = Set.of("rfc3164", "rfc5424", "raw", "short", "priority", "timed", "iso",
            "local");

    public static List<Keyword> keywords() {
        Set<Section> where = EnumSet.of(Section.GLOBAL, Section.DEFAULTS, Section.FRONTEND, Section.BACKEND,
                Section.LISTEN);
        return List.of(Keyword.of("log", "[no] log global | log <target> [len <length>] [format <format>]"
                + " <facility> [<level> [<minlevel>]]", LogKeywords::log, where));
    }

    private static List<LogTargetSpec> targets(KeywordContext ctx) {
        return ctx.section() == Section.GLOBAL ? ctx.global().logs : ctx.proxy().logs;
    }

    private static void log(KeywordContext ctx) {
        List<LogTargetSpec> targets = targets(ctx);
        if (ctx.negated()) {
            targets.clear();
            return;
        }
        String target = ctx.arg(1);
        if (target.equals("global")) {
            if (ctx.section() == Section.GLOBAL) {
                throw new ConfigException("'log global' is not supported in the 'global' section.");
            }
            targets.add(new LogTargetSpec(ctx.location(), LogTargetSpec.Kind.GLOBAL, null, 0, "rfc3164", null, null));
            return;
        }
        if (target.isEmpty()) {
            throw new ConfigException("'log' expects either <address[:port]> and <facility> or 'global' as"
                    + " arguments.");
        }
        int i = 2;
        String format = "rfc3164";
        while (ctx.arg(i).equals("len") || ctx.arg(i).equals("format") || ctx.arg(i).equals("sample")) {
            String v = ctx.arg(i + 1);
            if (ctx.arg(i).equals("format")) {
                if (!FORMATS.contains(v)) {
                    throw new ConfigException("unknown log format '" + v + "'");
                }
                format = v;
            } else if (ctx.arg(i).equals("sample")) {
                throw new ConfigException("'log ... sample' is not yet supported by Berth.");
            } else if (v.isEmpty() || !v.chars().allMatch(Character::isDigit) || Integer.parseInt(v) < 80) {
                throw new ConfigException("log : invalid 'len' value '" + v + "'");
            }
            i += 2;
        }
        String facility = ctx.arg(i);
        if (facility.isEmpty()) {
            throw new ConfigException("'log' expects <facility> as argument.");
        }
        if (!FACILITIES.contains(facility)) {
            throw new ConfigException("log : unknown log facility '" + facility + "'");
        }
        String level = ctx.arg(i + 1).isEmpty() ? null : ctx.arg(i + 1);
        if (level != null && !LEVELS.contains(level)) {
            throw new ConfigException("log : unknown optional log level '" + level + "'");
        }
        String minLevel = ctx.arg(i + 2);
        if (!minLevel.isEmpty() && !LEVELS.contains(minLevel)) {
            throw new ConfigException("log : unknown optional minimum log level '" + minLevel + "'");
        }
        LogTargetSpec spec;
        if (target.equals("stdout") || target.equals("stderr")) {
            spec = new LogTargetSpec(ctx.location(), target.equals("stdout") ? LogTargetSpec.Kind.STDOUT
                    : LogTargetSpec.Kind.STDERR, null, 0, format, facility, level);
        } else {
            String address = Addresses.expandEnv(target, ctx.env());
            if (address.startsWith("udp@")) {
                address = address.substring(4);
            }
            Addresses.Address a;
            try {
                a = Addresses.parse(address, false, false, false);
            } catch (ConfigException e) {
                throw new ConfigException("log : " + e.getMessage());
            }
            spec = new LogTargetSpec(ctx.location(), LogTargetSpec.Kind.UDP, a.host(), a.port() == 0 ? 514 : a.port(),
                    format, facility, level);
        }
        targets.add(spec);
    }
}
