package io.berth.api;

/**
 * What one runtime-API command does. Runs on the client's socket thread; must not block on the data plane.
 */
@FunctionalInterface
public interface CliHandler {
    /**
     * @return the answer exactly as HAProxy prints it, usually ending with a newline; the session adds the empty
     *         line that ends every answer. "" for a silent success.
     */
    String handle(CliRequest request);
}
