package io.berth.config;

import io.berth.model.Location;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The section reader: feeds the lines of each file, in order, to the keywords of the registry and fills one
 * {@link ConfigDraft}. Every faulty line is reported (as HAProxy, parsing continues after an error) and the
 * next line is read. Owned by {@link ConfigLoader}; one instance per load, parser thread only.
 */
final class ConfigParser {
    private final KeywordRegistry registry;
    private final Function<String, String> env;
    private final ConfigDraft draft = new ConfigDraft();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private Section section;
    private Object current;
    private boolean aborted;

    ConfigParser(KeywordRegistry registry, Function<String, String> env) {
        this.registry = registry;
        this.env = env;
    }

    ConfigDraft draft() {
        return draft;
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    void report(Diagnostic d) {
        diagnostics.add(d);
    }

    /**
     * Whether an error stopped the reading (HAProxy's {@code ERR_ABORT}): no further line or file is read, and
     * the configuration is refused.
     */
    boolean aborted() {
        return aborted;
    }

    /** Reads one file's text; a new file starts outside any section, as in HAProxy. */
    void parse(String file, String text) {
        section = null;
        current = null;
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count && !aborted; i++) {
            Location where = new Location(file, i + 1);
            line(where, lines[i]);
        }
    }

    private void line(Location where, String raw) {
        ConfigLexer.Line lexed = ConfigLexer.split(raw, env);
        if (!lexed.ok()) {
            String shown = raw.replace('\t', ' ');
            int pos = positionOf(lexed.error());
            report(new Diagnostic(Diagnostic.Severity.ALERT, where,
                    lexed.error() + ":\n  " + shown + "\n  " + " ".repeat(Math.max(0, pos - 1)) + "^",
                    Diagnostic.Prefix.PARSING_TIGHT));
            return;
        }
        List<String> words = lexed.words();
        if (words.isEmpty()) {
            return;
        }
        boolean negated = false;
        if (words.get(0).equals("no") && words.size() > 1) {
            negated = true;
            words = words.subList(1, words.size());
            String first = words.get(0);
            if (!first.equals("option") && !first.equals("log")) {
                report(new Diagnostic(Diagnostic.Severity.ALERT, where, "negation/default currently supported only"
                        + " for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and"
                        + " numa-cpu-mapping.", Diagnostic.Prefix.PARSING_TIGHT));
                return;
            }
        }
        Section opened = negated ? null : Section.of(words.get(0));
        if (opened != null) {
            open(opened, where, words);
            return;
        }
        if (section == null) {
            report(new Diagnostic(Diagnostic.Severity.ALERT, where, "unknown keyword '" + words.get(0)
                    + "' out of section.", Diagnostic.Prefix.PARSING_TIGHT));
            return;
        }
        if (current == null) {
            return; // the section header itself was refused: its lines are skipped, as HAProxy does
        }
        dispatch(where, words, negated);
    }

    private void dispatch(Location where, List<String> words, boolean negated) {
        Keyword keyword = registry.find(words, section);
        if (keyword == null) {
            String suggestion = registry.suggest(words.get(0), section);
            report(Diagnostic.alert(where, "unknown keyword '" + words.get(0) + "' in '" + section.word()
                    + "' section" + (suggestion == null ? "" : "; did you mean '" + suggestion + "' maybe ?")));
            return;
        }
        if (!keyword.sections().contains(section)) {
            refuseHere(where, keyword);
            return;
        }
        if (negated && !keyword.name().startsWith("option ") && !keyword.name().equals("log")) {
            report(new Diagnostic(Diagnostic.Severity.ALERT, where, "negation/default is not supported for '"
                    + keyword.name() + "'.", Diagnostic.Prefix.PARSING_TIGHT));
            return;
        }
        KeywordContext ctx = new KeywordContext(draft, section, current, where, words, negated, registry,
                this::report, env);
        try {
            keyword.handler().handle(ctx);
        } catch (ConfigException e) {
            report(new Diagnostic(Diagnostic.Severity.ALERT, where, e.getMessage(), e.prefix()));
        }
    }

    /** A known keyword in the wrong section, worded as HAProxy words each case. */
    private void refuseHere(Location where, Keyword keyword) {
        boolean proxyKeyword = keyword.sections().stream().anyMatch(Section::isProxy);
        if (!section.isProxy() || !proxyKeyword) {
            String suggestion = registry.suggest(keyword.words().get(0), section);
            String first = keyword.words().get(0);
            report(Diagnostic.alert(where, "unknown keyword '" + first + "' in '" + section.word() + "' section"
                    + (suggestion == null || suggestion.equals(first) ? "" : "; did you mean '" + suggestion
                    + "' maybe ?")));
            return;
        }
        String name = keyword.name();
        boolean isServer = name.equals("server") || name.equals("default-server");
        if (section == Section.DEFAULTS) {
            report(new Diagnostic(Diagnostic.Severity.ALERT, where, "'" + name + "' not allowed in 'defaults' section.",
                    isServer ? Diagnostic.Prefix.BRACKETS : Diagnostic.Prefix.PARSING));
            return;
        }
        ProxyDraft proxy = (ProxyDraft) current;
        String missing = section.hasBackend() ? "frontend" : "backend";
        if (isServer) {
            report(new Diagnostic(Diagnostic.Severity.ALERT, where, "parsing [" + where + "] : '" + name
                    + "' not allowed because " + proxy.describe() + " has no " + missing + " capability.",
                    Diagnostic.Prefix.BRACKETS));
        } else if (name.startsWith("timeout ")) {
            report(Diagnostic.warning(where, "'" + name + "' will be ignored because " + proxy.describe()
                    + " has no " + missing + " capability"));
        } else {
            String shown = name.startsWith("option ") ? name.substring(7) : keyword.words().get(0);
            report(Diagnostic.warning(where, "'" + shown + "' ignored because " + proxy.describe() + " has no "
                    + missing + " capability."));
        }
    }

    private void open(Section opened, Location where, List<String> words) {
        section = opened;
        current = null;
        switch (opened) {
            case GLOBAL -> current = draft.global;
            case PEERS -> {
                if (words.size() < 2) {
                    report(Diagnostic.alert(where, "'peers' expects <name> as argument."));
                    return;
                }
                PeersDraft peers = new PeersDraft(words.get(1), where);
                draft.peers.add(peers);
                current = peers;
            }
            case DEFAULTS -> openDefaults(where, words);
            default -> openProxy(opened, where, words);
        }
    }

    private void openDefaults(Location where, List<String> words) {
        String name = words.size() > 1 && !words.get(1).equals("from") ? words.get(1) : null;
        int fromAt = name == null ? 1 : 2;
        ProxyDraft defaults = new ProxyDraft(Section.DEFAULTS, name, where);
        if (words.size() > fromAt && words.get(fromAt).equals("from")) {
            ProxyDraft parent = referencedDefaults(where, words, fromAt);
            if (parent == null || !mayInherit(Section.DEFAULTS, where, parent)) {
                return;
            }
            defaults.inherit(parent);
        }
        if (name != null) {
            draft.namedDefaults.put(name, defaults);
        }
        draft.lastDefaults = defaults;
        current = defaults;
    }

    private void openProxy(Section opened, Location where, List<String> words) {
        if (words.size() < 2) {
            report(Diagnostic.alert(where, "'" + opened.word() + "' expects an <id> argument"));
            return;
        }
        String name = words.get(1);
        for (ProxyDraft other : draft.proxies) {
            boolean clash = other.name.equals(name) && (other.section.hasFrontend() && opened.hasFrontend()
                    || other.section.hasBackend() && opened.hasBackend());
            if (clash) {
                report(new Diagnostic(Diagnostic.Severity.ALERT, where, "Parsing [" + where + "]: "
                        + opened.word() + " '" + name + "' has the same name as " + other.section.word() + " '"
                        + name + "' declared at " + other.location + ".", Diagnostic.Prefix.NONE));
                return;
            }
        }
        ProxyDraft proxy = new ProxyDraft(opened, name, where);
        if (words.size() > 2 && words.get(2).equals("from")) {
            ProxyDraft parent = referencedDefaults(where, words, 2);
            if (parent == null || !mayInherit(opened, where, parent)) {
                return;
            }
            proxy.inherit(parent);
        } else if (draft.lastDefaults != null) {
            ProxyDraft implicit = draft.lastDefaults;
            if (implicit.name != null) {
                draft.implicitlyUsedDefaults.add(implicit.name);
                if (draft.explicitlyUsedDefaults.containsKey(implicit.name)) {
                    mixedUse(where, implicit);
                }
            }
            if (!mayInherit(opened, where, implicit)) {
                return;
            }
            proxy.inherit(implicit);
        }
        draft.proxies.add(proxy);
        current = proxy;
    }

    private ProxyDraft referencedDefaults(Location where, List<String> words, int fromAt) {
        if (words.size() <= fromAt + 1) {
            report(Diagnostic.alert(where, "'" + words.get(0) + "' : 'from' expects a defaults section name."));
            return null;
        }
        String parentName = words.get(fromAt + 1);
        ProxyDraft parent = draft.namedDefaults.get(parentName);
        if (parent == null) {
            report(Diagnostic.alert(where, "defaults section '" + parentName + "' not found for "
                    + words.get(0) + " '" + (words.get(0).equals("defaults") && fromAt == 1 ? "" : words.get(1))
                    + "'."));
            return null;
        }
        draft.explicitlyUsedDefaults.putIfAbsent(parentName, where);
        if (draft.implicitlyUsedDefaults.contains(parentName)) {
            mixedUse(where, parent);
        }
        return parent;
    }

    /**
     * HAProxy 2.6's checks before a section inherits a defaults section that has TCP/HTTP rules ({@code
     * tcp-request}, {@code http-request}, {@code http-response}): such a defaults may serve frontends or backends
     * but not both, nor a listen or another defaults, and its connection/session rules no backend. Reports and
     * returns false when the section may not inherit it.
     */
    private boolean mayInherit(Section opened, Location where, ProxyDraft defaults) {
        if (!defaults.hasRules()) {
            return true;
        }
        String at = " (defaults section at " + defaults.location + ").";
        String problem = null;
        if (opened == Section.DEFAULTS) {
            problem = "a defaults section cannot inherit from a defaults section defining TCP/HTTP rules" + at;
        } else if (opened == Section.LISTEN) {
            problem = "a listen section cannot inherit from a defaults section defining TCP/HTTP rules.";
        } else if (defaults.rulesServe != null && defaults.rulesServe != opened) {
            problem = "frontends and backends cannot inherit from the same defaults section if it defines TCP/HTTP"
                    + " rules" + at;
        } else if (opened == Section.BACKEND && defaults.tcpRequestRules.stream()
                .anyMatch(r -> r.phase() != io.berth.model.TcpRuleSpec.Phase.CONTENT)) {
            problem = "a backend section cannot inherit from a defaults section defining 'tcp-request connection'"
                    + " or 'tcp-request session' rules" + at;
        }
        if (problem != null) {
            report(new Diagnostic(Diagnostic.Severity.ALERT, where, "parsing [" + where + "]: " + problem,
                    Diagnostic.Prefix.NONE));
            // HAProxy stops reading the configuration there (ERR_ABORT)
            aborted = true;
            return false;
        }
        defaults.rulesServe = opened;
        return true;
    }

    /**
     * HAProxy 2.6 alerts on a named defaults used both implicitly and through {@code from}, but only as a warning:
     * the configuration stays valid (unless the defaults has rules, which {@link #mayInherit} then refuses).
     */
    private void mixedUse(Location where, ProxyDraft defaults) {
        report(new Diagnostic(Diagnostic.Severity.ALERT_WARN, where, "defaults section '" + defaults.name + "' (declared at "
                + defaults.location + ") is explicitly referenced by another proxy and implicitly used"
                + " here. To avoid any ambiguity don't mix both usage. Add a last defaults section not"
                + " explicitly used or always use explicit references."));
    }

    private static int positionOf(String lexerError) {
        int at = lexerError.lastIndexOf(' ');
        try {
            return Integer.parseInt(lexerError.substring(at + 1));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
