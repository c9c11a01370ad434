package io.berth.runtime;

import io.berth.model.HttpRuleSpec;
import io.berth.sample.Condition;
import io.berth.sample.LogFormat;

import java.util.List;

/**
 * One compiled {@code http-request}/{@code http-response} rule, ready for the data plane.
 *
 * @param action      what to do
 * @param headerName  for header actions: the header name
 * @param value       for set/add-header: the compiled log-format value; for return: the body ({@code string}/
 *                    {@code lf-string}), or null
 * @param status      for deny/return: the status to send (deny: 403 by default, return: 200)
 * @param contentType for return: the {@code content-type}; for set-status: the {@code reason}, or null
 * @param extraHeaders for return/deny: {@code hdr NAME VALUE} pairs, compiled
 * @param condition   when the rule applies ({@link Condition#ALWAYS} when unconditional)
 * @param stick       for STICK: the compiled {@code track-sc*} / {@code sc-inc-gpc*} action, else null
 * @param match       for the replace actions: the regex a value (or the path, the URI) must match, else null
 */
public record HttpRule(HttpRuleSpec spec, Action action, String headerName, LogFormat value, int status,
                       String contentType, List<Header> extraHeaders, Condition condition,
                       io.berth.persist.stick.StickAction stick, java.util.regex.Pattern match) {
    /** A rule without a stick action nor a regex. */
    public HttpRule(HttpRuleSpec spec, Action action, String headerName, LogFormat value, int status,
                    String contentType, List<Header> extraHeaders, Condition condition) {
        this(spec, action, headerName, value, status, contentType, extraHeaders, condition, null, null);
    }

    /** A replace action: {@code value} renders the replacement, whose {@code \1}... name {@code match}'s groups. */
    public HttpRule(HttpRuleSpec spec, Action action, String headerName, java.util.regex.Pattern match,
                    LogFormat value, Condition condition) {
        this(spec, action, headerName, value, 0, null, List.of(), condition, null, match);
    }

    /** REDIRECT: {@code value} renders the Location, {@code status} is the code (see Redirects). */
    /** USE_SERVICE: {@code spec().args()} name the service and its settings; answered by proxy/http Services. */
    /** STICK: {@code track-sc*} / {@code sc-inc-gpc*}, run by {@link #stick()} (persist/stick). */
    public enum Action {
        SET_HEADER, ADD_HEADER, DEL_HEADER, REPLACE_HEADER, REPLACE_VALUE, SET_PATH, SET_QUERY, SET_URI, SET_METHOD,
        REPLACE_PATH, REPLACE_URI, SET_STATUS, ALLOW, DENY, RETURN, REDIRECT, USE_SERVICE, STICK
    }

    public record Header(String name, LogFormat value) {
    }
}
