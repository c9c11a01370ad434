package io.berth.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line typed on the stats socket into commands (at each unescaped {@code ;}) and each command into
 * words (at runs of spaces and tabs), as HAProxy's CLI does: a backslash makes the next character literal
 * ({@code \;} and {@code \ } stay in the word). Example: {@code "set server be/s1 state drain; get weight be/s1"}
 * gives two commands of five and three words. Stateless.
 */
final class CliLine {
    private CliLine() {
    }

    /** The commands of the line, each a list of words (possibly empty for a blank command). */
    static List<List<String>> parse(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(line.charAt(++i));
            } else if (c == ';') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                commands.add(words);
                words = new ArrayList<>();
            } else if (c == ' ' || c == '\t' || c == '\r') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        commands.add(words);
        return commands;
    }
}
