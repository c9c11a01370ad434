/** The {@code berth} command: run, check ({@code -c}), demo, {@code --list-keywords}; signals and pidfile. */
package io.berth.cli;
