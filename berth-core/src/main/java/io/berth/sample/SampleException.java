package io.berth.sample;

/** A fetch, converter, matcher or condition that does not compile; the message reads like HAProxy's. */
public final class SampleException extends Exception {
    public SampleException(String message) {
        super(message);
    }
}
