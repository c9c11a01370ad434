package io.berth.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles the words of one ACL: {@code FETCH [-i] [-n] [-f FILE] [-m METHOD] [-M] [-u ID] [--] PATTERN...}.
 * The fetch may be an ACL derivative ({@code hdr_beg(host)} = {@code hdr(host)} with {@code -m beg}); without
 * {@code -m} or a derivative the method follows the fetch's type ({@code src} → ip, {@code path} → str,
 * {@code status} → int). {@code -f} reads patterns from a file (one per line, blank lines and {@code #}
 * comments skipped), relative to the working directory. Configuration time only.
 */
final class AclParser {
    private AclParser() {
    }

    /**
     * @param name  the ACL name, or null for an anonymous ACL
     * @param words the words from the fetch on
     * @throws SampleException worded like HAProxy, without the "error detected while parsing ..." prefix the
     *                         caller knows how to add
     */
    static Acl parse(String name, List<String> words) throws SampleException {
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw new SampleException("missing fetch method in ACL expression ''.");
        }
        String word = words.get(0);
        MatchMethod implied = null;
        String fetchName = null;
        String keyword = keywordOf(word);
        if (Fetches.find(keyword) == null) {
            int underscore = keyword.lastIndexOf('_');
            if (underscore > 0) {
                String base = keyword.substring(0, underscore);
                MatchMethod m = MatchMethod.bySuffix(keyword.substring(underscore + 1));
                if (m != null && Fetches.DERIVABLE.contains(base)) {
                    implied = m;
                    fetchName = base;
                }
            }
        }
        CompiledExpr expr;
        try {
            expr = ExprParser.parse(word, 0, false, fetchName).expr();
        } catch (ExprParser.ExprException e) {
            throw new SampleException(ExprParser.aclMessage(e, word));
        }

        boolean ignoreCase = false;
        MatchMethod method = implied;
        List<String> patterns = new ArrayList<>();
        int i = 1;
        while (i < words.size() && words.get(i).startsWith("-")) {
            String flag = words.get(i);
            if (flag.equals("--")) {
                i++;
                break;
            }
            switch (flag) {
                case "-i" -> ignoreCase = true;
                case "-n", "-M" -> {
                    // -n: no DNS resolution (Berth never resolves patterns); -M: -f files are maps, same patterns.
                }
                case "-u" -> i++;
                case "-f" -> {
                    i++;
                    patterns.addAll(readFile(i < words.size() ? words.get(i) : ""));
                }
                case "-m" -> {
                    i++;
                    String m = i < words.size() ? words.get(i) : "";
                    method = MatchMethod.byName(m);
                    if (method == null) {
                        throw new SampleException("unknown matching method '" + m + "' when parsing ACL expression.");
                    }
                }
                default -> throw new SampleException("'" + flag + "' is not a valid ACL option. Please use '--'"
                        + " before any pattern beginning with a '-'.");
            }
            i++;
        }
        for (; i < words.size(); i++) {
            patterns.add(words.get(i));
        }
        if (method == null) {
            method = MatchMethod.forType(expr.type());
        }
        try {
            return new Acl(name, expr, method, new Matcher(method, ignoreCase, patterns));
        } catch (SampleException e) {
            throw new SampleException(e.getMessage() + ".");
        }
    }

    /** The keyword part of {@code hdr_beg(host),lower}: up to the first {@code (} or {@code ,}. */
    private static String keywordOf(String word) {
        int end = word.length();
        int paren = word.indexOf('(');
        int comma = word.indexOf(',');
        if (paren >= 0) {
            end = paren;
        }
        if (comma >= 0 && comma < end) {
            end = comma;
        }
        return word.substring(0, end);
    }

    private static List<String> readFile(String file) throws SampleException {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(file))) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new SampleException("failed to open pattern file <" + file + ">.");
        }
    }
}
