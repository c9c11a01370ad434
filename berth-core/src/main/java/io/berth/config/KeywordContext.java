package io.berth.config;

import io.berth.model.Location;

import java.util.List;
import java.util.function.Function;

/**
 * What a keyword handler sees for one line: the words (with {@code no} already removed and remembered in
 * {@link #negated()}), the section, where the line is, the drafts to write into, and a way to report warnings
 * or extra errors without stopping. To reject the line, throw {@link ConfigException}. Parser thread only.
 */
public final class KeywordContext {
    private final ConfigDraft draft;
    private final Section section;
    private final Object current;
    private final Location location;
    private final List<String> args;
    private final boolean negated;
    private final KeywordRegistry registry;
    private final DiagnosticSink sink;
    private final Function<String, String> env;

    /** Where handlers report; the parser keeps them in order. */
    public interface DiagnosticSink {
        void report(Diagnostic diagnostic);
    }

    KeywordContext(ConfigDraft draft, Section section, Object current, Location location, List<String> args,
                   boolean negated, KeywordRegistry registry, DiagnosticSink sink, Function<String, String> env) {
        this.draft = draft;
        this.section = section;
        this.current = current;
        this.location = location;
        this.args = List.copyOf(args);
        this.negated = negated;
        this.registry = registry;
        this.sink = sink;
        this.env = env;
    }

    /** Word {@code i} of the line (0 = the keyword's first word), or "" past the end as in HAProxy. */
    public String arg(int i) {
        return i < args.size() ? args.get(i) : "";
    }

    public int argc() {
        return args.size();
    }

    /** All the words of the line. */
    public List<String> args() {
        return args;
    }

    /** The words from index {@code from} on (empty when past the end). */
    public List<String> argsFrom(int from) {
        return from >= args.size() ? List.of() : args.subList(from, args.size());
    }

    /** The line started with {@code no} (e.g. {@code no option httplog}). */
    public boolean negated() {
        return negated;
    }

    public Section section() {
        return section;
    }

    public Location location() {
        return location;
    }

    public ConfigDraft draft() {
        return draft;
    }

    public GlobalDraft global() {
        return draft.global;
    }

    /** The proxy being parsed; only for keywords of proxy sections. */
    public ProxyDraft proxy() {
        return (ProxyDraft) current;
    }

    /** The peers section being parsed; only for peers keywords. */
    public PeersDraft peers() {
        return (PeersDraft) current;
    }

    public KeywordRegistry registry() {
        return registry;
    }

    /** Environment lookup (for addresses, which expand unquoted {@code $VAR} as HAProxy does). */
    public Function<String, String> env() {
        return env;
    }

    /** Reports a WARNING at this line. */
    public void warn(String message) {
        sink.report(Diagnostic.warning(location, message));
    }

    /** Reports an ALERT at this line without stopping the handler (for a second error on the same line). */
    public void alert(String message, Diagnostic.Prefix prefix) {
        sink.report(new Diagnostic(Diagnostic.Severity.ALERT, location, message, prefix));
    }
}
