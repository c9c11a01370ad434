package io.berth.api;

import io.berth.runtime.RuntimeBackend;
import io.berth.server.Server;

import java.util.List;

/**
 * One command as typed, split into words, with the level of the session that sent it. Immutable.
 *
 * @param args    every word, the command's own words first
 * @param level   the session's current level
 * @param context what the command acts on
 */
public record CliRequest(List<String> args, CliLevel level, ApiContext context) {
    public CliRequest {
        args = List.copyOf(args);
    }

    /** The i-th word, or "" past the end (HAProxy's empty args). */
    public String arg(int i) {
        return i < args.size() ? args.get(i) : "";
    }

    /** A {@code backend/server} argument resolved, or the error HAProxy prints. */
    public record ServerRef(Server server, String error) {
    }

    /**
     * Resolves {@code <bk>/<srv>} as HAProxy's {@code cli_find_server}: {@code Require 'backend/server'.},
     * {@code No such backend.}, {@code No such server.}. A backend may also be named {@code #<id>}.
     */
    public ServerRef server(int index) {
        String word = arg(index);
        int slash = word.indexOf('/');
        if (slash < 0) {
            return new ServerRef(null, "Require 'backend/server'.\n");
        }
        RuntimeBackend b = backendByRef(word.substring(0, slash));
        if (b == null) {
            return new ServerRef(null, "No such backend.\n");
        }
        String sv = word.substring(slash + 1);
        Server s = sv.startsWith("#") ? byId(b, sv.substring(1)) : b.servers().byName(sv);
        if (s == null) {
            return new ServerRef(null, "No such server.\n");
        }
        return new ServerRef(s, null);
    }

    /** A backend by name or {@code #id}, or null. */
    public RuntimeBackend backendByRef(String ref) {
        if (ref.startsWith("#")) {
            for (RuntimeBackend b : context.runtime().backends()) {
                if (String.valueOf(b.spec().id()).equals(ref.substring(1))) {
                    return b;
                }
            }
            return null;
        }
        return context.backend(ref);
    }

    private static Server byId(RuntimeBackend b, String id) {
        try {
            return b.servers().byId(Integer.parseInt(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
