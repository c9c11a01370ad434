package io.berth.model;

/** A proxy's `mode`: HTTP parses requests and responses, TCP forwards bytes. */
public enum Mode { HTTP, TCP }
