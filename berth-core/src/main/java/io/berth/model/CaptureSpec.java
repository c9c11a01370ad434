package io.berth.model;

/**
 * {@code capture request|response header NAME len N}: the last occurrence of header {@code name} in the request
 * (or the response), cut to {@code length} characters, logged between braces in declaration order ({@code %hr},
 * {@code %hs}).
 */
public record CaptureSpec(boolean response, String header, int length) {
}
