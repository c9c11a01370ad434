package io.berth.health;

import io.berth.config.ConfigException;

import java.util.List;

/**
 * The order of a backend's {@code http-check} steps, as kept in its raw rule list ({@code HttpCheckSpec.expect}):
 * an expect rule is its words, a connect rule is {@code connect} + its words ({@link CheckConnect#row}), and an
 * {@code http-check send} after a connect leaves a one-word {@code send} marker (its settings live in the draft's
 * fields; without a connect no marker is kept, so the list stays the expect rules alone). Enforces HAProxy 2.6's
 * sequence rules (src/tcpcheck.c): a connect comes first (a send before it is not seen: accepted), and a connect is
 * followed by a send before any expect. Parser thread only; stateless.
 */
final class HttpCheckSteps {
    /** The marker row of an {@code http-check send}. */
    static final List<String> SEND = List.of("send");

    private HttpCheckSteps() {
    }

    static boolean isSend(List<String> row) {
        return row.size() == 1 && row.get(0).equals("send");
    }

    /** True for a row that is an {@code http-check expect} rule. */
    static boolean isExpect(List<String> row) {
        return !isSend(row) && !CheckConnect.isRow(row);
    }

    /** Refuses a connect at this point of {@code rows}, with HAProxy's wording. */
    static void checkConnect(List<List<String>> rows) {
        int lastConnect = lastConnect(rows);
        if (lastConnect >= 0) {
            if (rows.subList(lastConnect, rows.size()).stream().noneMatch(HttpCheckSteps::isExpect)) {
                throw new ConfigException("'http-check connect' : unable to add http-check connect rule at step "
                        + (rows.size() + 1) + " (missing expect rule)..");
            }
            throw new ConfigException("'http-check connect' after an 'http-check expect' (a multi-step sequence) is"
                    + " not yet supported by Berth.");
        }
        if (!rows.isEmpty()) {
            throw new ConfigException("'http-check connect' : first step MUST also be a 'connect', optionally"
                    + " preceded by a 'set-var', an 'unset-var' or a 'comment', when there is a 'connect' step in"
                    + " the tcp-check ruleset.");
        }
    }

    /** Refuses an expect right after a connect, with HAProxy's wording. */
    static void checkExpect(List<List<String>> rows) {
        int lastConnect = lastConnect(rows);
        if (lastConnect >= 0 && rows.subList(lastConnect, rows.size()).stream().noneMatch(HttpCheckSteps::isSend)) {
            throw new ConfigException("'http-check expect' : unable to add http-check expect rule at step "
                    + (rows.size() + 1) + " (missing send rule)..");
        }
    }

    private static int lastConnect(List<List<String>> rows) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (CheckConnect.isRow(rows.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
