package io.berth.api;

/**
 * HAProxy's word fingerprints ({@code update_word_fingerprint}, {@code word_fingerprint_distance} in
 * src/tools.c), used to suggest commands close to a mistyped one. A fingerprint is 1024 counters indexed
 * 32 × from + to over character classes (1..26 letters, 27 digits, 28 anything else and the word's begin/end),
 * plus a presence mark at index {@code to}. Example: "stat" vs "stats" differ by the transitions t→end, t→s,
 * s→end: distance 3. Stateless.
 */
final class WordFingerprint {
    private WordFingerprint() {
    }

    static void update(int[] fp, String word) {
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
            fp[to] = 1;
            fp[32 * from + to]++;
            from = to;
        }
        fp[32 * from + 28]++;
    }

    static int distance(int[] a, int[] b) {
        int d = 0;
        for (int i = 0; i < 1024; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d;
    }
}
