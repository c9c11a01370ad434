package io.berth.config;

/**
 * The configuration sections Berth reads, with HAProxy's section words. A keyword declares the sections it is
 * allowed in; proxies (defaults, frontend, backend, listen) also carry HAProxy's frontend/backend capabilities.
 */
public enum Section {
    GLOBAL("global", false, false),
    DEFAULTS("defaults", true, true),
    FRONTEND("frontend", true, false),
    BACKEND("backend", false, true),
    LISTEN("listen", true, true),
    PEERS("peers", false, false);

    /** defaults, frontend, backend, listen. */
    public static final java.util.Set<Section> PROXIES = java.util.EnumSet.of(DEFAULTS, FRONTEND, BACKEND, LISTEN);
    /** Sections with the frontend capability: defaults, frontend, listen. */
    public static final java.util.Set<Section> FRONTENDS = java.util.EnumSet.of(DEFAULTS, FRONTEND, LISTEN);
    /** Sections with the backend capability: defaults, backend, listen. */
    public static final java.util.Set<Section> BACKENDS = java.util.EnumSet.of(DEFAULTS, BACKEND, LISTEN);

    private final String word;
    private final boolean frontendCapable;
    private final boolean backendCapable;

    Section(String word, boolean frontendCapable, boolean backendCapable) {
        this.word = word;
        this.frontendCapable = frontendCapable;
        this.backendCapable = backendCapable;
    }

    /** The word that opens the section, as written in files and in messages. */
    public String word() {
        return word;
    }

    public boolean isProxy() {
        return this == DEFAULTS || this == FRONTEND || this == BACKEND || this == LISTEN;
    }

    public boolean hasFrontend() {
        return frontendCapable;
    }

    public boolean hasBackend() {
        return backendCapable;
    }

    /** The section opened by {@code word}, or null. */
    public static Section of(String word) {
        for (Section s : values()) {
            if (s.word.equals(word)) {
                return s;
            }
        }
        return null;
    }
}
