package io.berth.model;

/**
 * {@code capture cookie NAME len N}: the first request cookie and the first server {@code Set-Cookie} whose
 * {@code name=value} text starts with {@code prefix} (a trailing {@code =} asks for the exact name), cut to
 * {@code length} characters (at most 63, HAProxy's {@code tune.http.cookielen}), logged as {@code %CC} and
 * {@code %CS}.
 */
public record CookieCaptureSpec(String prefix, int length) {
    /** HAProxy's default {@code tune.http.cookielen}: longer captures are cut to it. */
    public static final int MAX_LENGTH = 63;
}
