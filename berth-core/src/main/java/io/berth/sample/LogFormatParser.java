package io.berth.sample;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiles a log-format string as used in header values and {@code lf-string} bodies: literal text,
 * {@code %[FETCH,CONV...]}, {@code %%}, and the aliases {@code %s %b %f %ft %ci %cp %fi %fp %si %sp %ST %r %HM
 * %HU %HP %HV %H %pid}, optionally preceded by {@code %{+Q}} / {@code %{-Q}} (quote the value). Output matches
 * what HAProxy 2.6 puts in a header: an absent sample or address prints nothing; before a server is chosen
 * {@code %s} prints {@code <NOSRV>} and {@code %b} the frontend's name. Configuration time only.
 */
final class LogFormatParser {
    private LogFormatParser() {
    }

    /** One piece of the output; appends itself. */
    @FunctionalInterface
    private interface Part {
        void append(SampleContext ctx, StringBuilder out);
    }

    private static final Map<String, Function<SampleContext, String>> ALIASES = Map.ofEntries(
            Map.entry("s", ctx -> ctx.serverName() == null ? "<NOSRV>" : ctx.serverName()),
            Map.entry("b", ctx -> ctx.backendName() == null ? ctx.frontendName() : ctx.backendName()),
            Map.entry("f", SampleContext::frontendName),
            Map.entry("ft", SampleContext::frontendName),
            Map.entry("ci", ctx -> host(ctx.source())),
            Map.entry("cp", ctx -> port(ctx.source())),
            Map.entry("fi", ctx -> host(ctx.destination())),
            Map.entry("fp", ctx -> port(ctx.destination())),
            Map.entry("si", ctx -> host(ctx.serverAddress())),
            Map.entry("sp", ctx -> port(ctx.serverAddress())),
            Map.entry("ST", ctx -> ctx.status() == 0 ? null : Integer.toString(ctx.status())),
            Map.entry("r", LogFormatParser::requestLine),
            Map.entry("HM", SampleContext::method),
            Map.entry("HU", SampleContext::uri),
            Map.entry("HP", ctx -> HttpText.path(ctx.uri())),
            Map.entry("HV", SampleContext::version),
            Map.entry("H", ctx -> LocalHost.NAME),
            Map.entry("pid", ctx -> Long.toString(ProcessHandle.current().pid())));

    /** @throws SampleException worded like HAProxy's log-format parser */
    static LogFormat parse(String text) throws SampleException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            i++;
            boolean quote = false;
            if (i < text.length() && text.charAt(i) == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw new SampleException("missing '}' after '%{'.");
                }
                for (String opt : text.substring(i + 1, close).split(",")) {
                    if (opt.equals("+Q")) {
                        quote = true;
                    } else if (opt.equals("-Q")) {
                        quote = false;
                    }
                }
                i = close + 1;
            }
            flush(literal, parts);
            Function<SampleContext, String> value;
            if (i < text.length() && text.charAt(i) == '[') {
                int start = i + 1;
                ExprParser.Parsed parsed;
                try {
                    parsed = ExprParser.parse(text, start, true, null);
                } catch (ExprParser.ExprException e) {
                    throw new SampleException("failed to parse sample expression <" + text.substring(start) + "> : "
                            + ExprParser.plainMessage(e));
                }
                if (parsed.end() >= text.length() || text.charAt(parsed.end()) != ']') {
                    throw new SampleException("missing ']' after '" + text.substring(start) + "'.");
                }
                value = parsed.expr()::evaluate;
                i = parsed.end() + 1;
            } else {
                int start = i;
                while (i < text.length() && Character.isLetterOrDigit(text.charAt(i))) {
                    i++;
                }
                String alias = text.substring(start, i);
                value = ALIASES.get(alias);
                if (value == null) {
                    throw new SampleException("no such format variable '" + alias + "'. If you wanted to emit the '%'"
                            + " character verbatim, you need to use '%%'.");
                }
            }
            Function<SampleContext, String> v = value;
            boolean q = quote;
            parts.add((ctx, out) -> {
                String s = v.apply(ctx);
                if (q) {
                    out.append('"').append(s == null ? "" : s).append('"');
                } else if (s != null) {
                    out.append(s);
                }
            });
        }
        flush(literal, parts);
        Part[] compiled = parts.toArray(new Part[0]);
        if (compiled.length == 0) {
            return ctx -> "";
        }
        return ctx -> {
            StringBuilder out = new StringBuilder(64);
            for (Part p : compiled) {
                p.append(ctx, out);
            }
            return out.toString();
        };
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            String s = literal.toString();
            parts.add((ctx, out) -> out.append(s));
            literal.setLength(0);
        }
    }

    private static String host(InetSocketAddress a) {
        return a == null || a.getAddress() == null ? null : Sample.formatIp(a.getAddress());
    }

    private static String port(InetSocketAddress a) {
        return a == null ? null : Integer.toString(a.getPort());
    }

    private static String requestLine(SampleContext ctx) {
        if (ctx.method() == null) {
            return null;
        }
        return ctx.method() + " " + ctx.uri() + " " + ctx.version();
    }

    /** The machine's host name for {@code %H}, read once. */
    private static final class LocalHost {
        static final String NAME = read();

        private static String read() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "localhost";
            }
        }
    }
}
