package io.berth.health;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled {@code http-check expect} rule, evaluated against a check response. Immutable; compiled once per
 * backend, shared by every probe.
 *
 * <p>Outcomes as HAProxy 2.6 reports them ({@code tcpcheck_eval_expect_http} in src/tcpcheck.c, verified with
 * the binary): a failed {@code status}, {@code rstatus} or {@code hdr} gives L7STS with the HTTP code and the
 * reason phrase as info ({@code info: "OK"} even for {@code ! status 200}); a failed {@code string} or
 * {@code rstring} gives L7RSP with {@code "HTTP content check did not match"} (inverted:
 * {@code "HTTP check matched unwanted content"}), and {@code "HTTP content check could not find a response
 * body"} when the body is empty. {@code error-status}/{@code ok-status}/{@code tout-status} replace the status,
 * {@code comment} is appended to the info.
 */
public final class HttpExpect {
    enum Kind { STATUS, RSTATUS, STRING, RSTRING, HDR, FHDR }

    enum Match { STR, BEG, END, SUB, REG }

    private final Kind kind;
    private final boolean inverse;
    private final int[][] ranges;
    private final Pattern regex;
    private final String text;
    private final String hdrName;
    private final Match nameMatch;
    private final Pattern nameRegex;
    private final String hdrValue;
    private final Match valueMatch;
    private final Pattern valueRegex;
    private final CheckStatus okStatus;
    private final CheckStatus errorStatus;
    private final CheckStatus timeoutStatus;
    private final String comment;

    private HttpExpect(Kind kind, boolean inverse, int[][] ranges, Pattern regex, String text, String hdrName,
                       Match nameMatch, Pattern nameRegex, String hdrValue, Match valueMatch, Pattern valueRegex,
                       CheckStatus okStatus, CheckStatus errorStatus, CheckStatus timeoutStatus, String comment) {
        this.kind = kind;
        this.inverse = inverse;
        this.ranges = ranges;
        this.regex = regex;
        this.text = text;
        this.hdrName = hdrName;
        this.nameMatch = nameMatch;
        this.nameRegex = nameRegex;
        this.hdrValue = hdrValue;
        this.valueMatch = valueMatch;
        this.valueRegex = valueRegex;
        this.okStatus = okStatus;
        this.errorStatus = errorStatus;
        this.timeoutStatus = timeoutStatus;
        this.comment = comment;
    }

    /** HAProxy's implicit rule when a backend has {@code option httpchk} and no expect: 2xx and 3xx pass. */
    public static HttpExpect defaultRule() {
        return parse(List.of("status", "200-399"));
    }

    /**
     * Compiles the words after {@code http-check expect}, e.g. {@code [! , status, 200,204]},
     * {@code [hdr, name, x-health, value, ok]}, {@code [comment, c, error-status, L7RSP, rstring, ^up]}.
     *
     * @throws IllegalArgumentException on an unknown or unsupported word (on-success, on-error, status-code,
     *                                  string-lf, min-recv are not supported), a bad regex or status list
     */
    public static HttpExpect parse(List<String> words) {
        CheckStatus ok = null;
        CheckStatus err = null;
        CheckStatus tout = null;
        String comment = null;
        boolean inverse = false;
        int i = 0;
        while (i < words.size()) {
            String w = words.get(i);
            switch (w) {
                case "comment" -> comment = arg(words, ++i, w);
                case "ok-status" -> ok = CheckStatus.byExpectName(arg(words, ++i, w));
                case "error-status" -> err = CheckStatus.byExpectName(arg(words, ++i, w));
                case "tout-status" -> tout = CheckStatus.byExpectName(arg(words, ++i, w));
                case "!" -> inverse = true;
                default -> {
                    if (w.startsWith("!") && w.length() > 1) {
                        inverse = true;
                        w = w.substring(1);
                    }
                    return match(w, words, i + 1, inverse, ok, err, tout, comment);
                }
            }
            i++;
        }
        throw new IllegalArgumentException("'http-check expect' expects a matching pattern");
    }

    private static HttpExpect match(String w, List<String> words, int i, boolean inverse, CheckStatus ok,
                                    CheckStatus err, CheckStatus tout, String comment) {
        switch (w) {
            case "status" -> {
                String list = arg(words, i, w);
                return new HttpExpect(Kind.STATUS, inverse, ranges(list), null, null, null, null, null, null,
                        null, null, ok, err, tout, comment);
            }
            case "rstatus", "rstring" -> {
                Pattern p = compile(arg(words, i, w));
                Kind k = w.equals("rstatus") ? Kind.RSTATUS : Kind.RSTRING;
                return new HttpExpect(k, inverse, null, p, null, null, null, null, null, null, null, ok, err, tout,
                        comment);
            }
            case "string" -> {
                return new HttpExpect(Kind.STRING, inverse, null, null, arg(words, i, w), null, null, null, null,
                        null, null, ok, err, tout, comment);
            }
            case "hdr", "fhdr" -> {
                String name = null;
                Match nm = Match.STR;
                String value = null;
                Match vm = Match.STR;
                for (int j = i; j < words.size(); j++) {
                    String k = words.get(j);
                    switch (k) {
                        case "name" -> name = arg(words, ++j, k);
                        case "name-match" -> nm = matchType(arg(words, ++j, k));
                        case "value" -> value = arg(words, ++j, k);
                        case "value-match" -> vm = matchType(arg(words, ++j, k));
                        default -> throw new IllegalArgumentException("'http-check expect " + w
                                + "' : unknown argument '" + k + "'");
                    }
                }
                if (name == null) {
                    throw new IllegalArgumentException("'http-check expect " + w + "' : missing header name");
                }
                Pattern nr = nm == Match.REG ? compile(name) : null;
                Pattern vr = value != null && vm == Match.REG ? compile(value) : null;
                return new HttpExpect(w.equals("hdr") ? Kind.HDR : Kind.FHDR, inverse, null, null, null,
                        name.toLowerCase(Locale.ROOT), nm, nr, value, vm, vr, ok, err, tout, comment);
            }
            default -> throw new IllegalArgumentException("'http-check expect' : unsupported match '" + w + "'");
        }
    }

    private static String arg(List<String> words, int i, String kw) {
        if (i >= words.size()) {
            throw new IllegalArgumentException("'" + kw + "' expects an argument");
        }
        return words.get(i);
    }

    private static Pattern compile(String re) {
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex '" + re + "': " + e.getDescription());
        }
    }

    private static Match matchType(String s) {
        return switch (s) {
            case "str" -> Match.STR;
            case "beg" -> Match.BEG;
            case "end" -> Match.END;
            case "sub" -> Match.SUB;
            case "reg" -> Match.REG;
            default -> throw new IllegalArgumentException("unknown match type '" + s + "'");
        };
    }

    /** "200", "200-399", "200,204,300-302" → inclusive ranges. */
    private static int[][] ranges(String list) {
        List<int[]> out = new ArrayList<>();
        for (String part : list.split(",")) {
            try {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    int c = Integer.parseInt(part.trim());
                    out.add(new int[]{c, c});
                } else {
                    out.add(new int[]{Integer.parseInt(part.substring(0, dash).trim()),
                            Integer.parseInt(part.substring(dash + 1).trim())});
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid HTTP status code list '" + list + "'");
            }
        }
        return out.toArray(new int[0][]);
    }

    /** True when this rule reads the body, so the probe must wait for it. */
    public boolean needsBody() {
        return kind == Kind.STRING || kind == Kind.RSTRING;
    }

    /** Status reported when the check times out while this rule waits, or null for HAProxy's default. */
    public CheckStatus timeoutStatus() {
        return timeoutStatus;
    }

    /** Status reported when every rule passed and this one was the last, HAProxy's L7OK by default. */
    public CheckStatus okStatus() {
        return okStatus == null ? CheckStatus.L7OKD : okStatus;
    }

    /**
     * Evaluates this rule.
     *
     * @return null when the rule passes, else the failed outcome (duration 0, filled in by the probe)
     */
    public CheckOutcome evaluate(HttpCheckResponse r) {
        boolean match;
        CheckStatus fail;
        String info;
        switch (kind) {
            case STATUS -> {
                match = false;
                for (int[] range : ranges) {
                    if (r.code() >= range[0] && r.code() <= range[1]) {
                        match = true;
                        break;
                    }
                }
                fail = CheckStatus.L7STS;
                info = r.reason();
            }
            case RSTATUS -> {
                match = regex.matcher(String.format("%03d", r.code())).find();
                fail = CheckStatus.L7STS;
                info = r.reason();
            }
            case HDR, FHDR -> {
                match = headerMatches(r.headers());
                fail = CheckStatus.L7STS;
                info = r.reason();
            }
            default -> {
                if (r.body().length == 0) {
                    return failure(CheckStatus.L7RSP, r.code(), "HTTP content check could not find a response body");
                }
                String body = new String(r.body(), StandardCharsets.ISO_8859_1);
                match = kind == Kind.STRING ? body.contains(text) : regex.matcher(body).find();
                fail = CheckStatus.L7RSP;
                info = inverse ? "HTTP check matched unwanted content" : "HTTP content check did not match";
            }
        }
        if (match != inverse) {
            return null;
        }
        return failure(fail, r.code(), info);
    }

    private CheckOutcome failure(CheckStatus dflt, int code, String info) {
        String text = comment == null ? info : info + " comment: " + comment;
        return new CheckOutcome(errorStatus == null ? dflt : errorStatus, code, text, 0);
    }

    private boolean headerMatches(List<HttpCheckResponse.Header> headers) {
        for (HttpCheckResponse.Header h : headers) {
            if (!matches(h.name(), hdrName, nameMatch, nameRegex, true)) {
                continue;
            }
            if (hdrValue == null) {
                return true;
            }
            List<String> values = kind == Kind.FHDR ? List.of(h.value()) : splitComma(h.value());
            for (String v : values) {
                if (matches(v, hdrValue, valueMatch, valueRegex, false)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> splitComma(String value) {
        List<String> out = new ArrayList<>();
        for (String v : value.split(",")) {
            out.add(v.trim());
        }
        return out;
    }

    private static boolean matches(String subject, String pattern, Match m, Pattern re, boolean ignoreCase) {
        String s = ignoreCase ? subject.toLowerCase(Locale.ROOT) : subject;
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        return switch (m) {
            case STR -> s.equals(p);
            case BEG -> s.startsWith(p);
            case END -> s.endsWith(p);
            case SUB -> s.contains(p);
            case REG -> re.matcher(subject).find();
        };
    }
}
