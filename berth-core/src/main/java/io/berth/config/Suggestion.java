package io.berth.config;

import java.util.Collection;

/**
 * HAProxy's "did you mean" measure ({@code cfg_find_best_match} in cfgparse.c, re-implemented): each word is
 * reduced to counts of transitions between character classes (26 letters, digit, other, with begin and end),
 * the distance is the sum of the count differences, and the best candidate is kept only when that distance is at
 * most twice the length of both words. Example: {@code servr} vs {@code server} differ by the transitions r→end,
 * v→r, v→e, e→r, r→end: distance 3, kept; {@code $FOO} matches nothing. The runtime API ranks mistyped
 * commands with the same fingerprints (HAProxy's {@code word_fingerprint_distance} in tools.c). Stateless.
 */
public final class Suggestion {
    private Suggestion() {
    }

    static String closest(String word, Collection<String> candidates) {
        int[] sig = fingerprint(word);
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int dist = distance(sig, fingerprint(candidate));
            if (dist < bestDist) {
                bestDist = dist;
                best = candidate;
            }
        }
        if (best != null && (bestDist > 2 * word.length() || bestDist > 2 * best.length())) {
            return null;
        }
        return best;
    }

    /** 32×32 transition counts; class 1..26 = letter, 27 = digit, 28 = other, begin and end. */
    public static int[] fingerprint(String word) {
        int[] fp = new int[1024];
        addTo(fp, word);
        return fp;
    }

    /** Adds {@code word}'s transitions to {@code fp} (several words make one fingerprint, as for commands). */
    public static void addTo(int[] fp, String word) {
        int from = 28;
        for (int i = 0; i < word.length(); i++) {
            char c = Character.toLowerCase(word.charAt(i));
            int to;
            if (c >= 'a' && c <= 'z') {
                to = c - 'a' + 1;
            } else if (c >= '0' && c <= '9') {
                to = 27;
            } else {
                to = 28;
            }
            fp[to] = 1; // row 0 marks presence, as HAProxy does
            fp[32 * from + to]++;
            from = to;
        }
        fp[32 * from + 28]++;
    }

    public static int distance(int[] a, int[] b) {
        int dist = 0;
        for (int i = 0; i < 1024; i++) {
            dist += Math.abs(a[i] - b[i]);
        }
        return dist;
    }
}
