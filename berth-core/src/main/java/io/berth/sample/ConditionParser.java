package io.berth.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compiles the words of an {@code if|unless} condition into an OR of AND-suites of (possibly negated) ACLs,
 * following HAProxy's {@code parse_acl_cond}: leading {@code !} toggle negation (a lone {@code !} is allowed),
 * {@code ||} or {@code or} (any case) start a new suite, {@code { ... }} is an anonymous ACL, any other word
 * names an ACL (the proxy's, then the predefined ones). Configuration time only; the result is immutable.
 */
final class ConditionParser {
    private ConditionParser() {
    }

    /** A term: an ACL, negated or not. */
    private record Term(Condition acl, boolean negated) {
    }

    /**
     * @param words  the words after {@code if}/{@code unless}
     * @param unless invert the result
     * @param named  resolves a named ACL, null when unknown (then predefined ACLs are tried)
     */
    static Condition parse(List<String> words, boolean unless, Function<String, Condition> named)
            throws SampleException {
        List<List<Term>> suites = new ArrayList<>();
        List<Term> suite = null;
        boolean neg = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            while (word.startsWith("!")) {
                neg = !neg;
                word = word.substring(1);
            }
            if (word.isEmpty()) {
                continue;
            }
            if (word.equalsIgnoreCase("or") || word.equals("||")) {
                suite = null;
                neg = false;
                continue;
            }
            Condition acl;
            if (word.equals("{")) {
                int end = i + 1;
                while (end < words.size() && !words.get(end).equals("}")) {
                    end++;
                }
                if (end == words.size()) {
                    throw new SampleException("missing closing '}' in condition.");
                }
                acl = AclParser.parse(null, words.subList(i + 1, end));
                i = end;
            } else {
                acl = named.apply(word);
                if (acl == null) {
                    acl = PredefinedAcls.find(word);
                }
                if (acl == null) {
                    throw new SampleException("no such ACL : '" + word + "'.");
                }
            }
            if (suite == null) {
                suite = new ArrayList<>();
                suites.add(suite);
            }
            suite.add(new Term(acl, neg));
            neg = false;
        }
        return build(suites, unless);
    }

    private static Condition build(List<List<Term>> suites, boolean unless) {
        Term[][] s = new Term[suites.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = suites.get(i).toArray(new Term[0]);
        }
        // Arrays rather than lists: this runs for every request on every rule.
        Condition any = ctx -> {
            for (Term[] suite : s) {
                boolean all = true;
                for (Term t : suite) {
                    if (t.acl().test(ctx) == t.negated()) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    return true;
                }
            }
            return false;
        };
        return unless ? ctx -> !any.test(ctx) : any;
    }
}
