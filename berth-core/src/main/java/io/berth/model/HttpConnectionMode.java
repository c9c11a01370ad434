package io.berth.model;

/** {@code option http-keep-alive} (default), {@code option http-server-close}, {@code option httpclose}. */
public enum HttpConnectionMode { KEEP_ALIVE, SERVER_CLOSE, CLOSE }
