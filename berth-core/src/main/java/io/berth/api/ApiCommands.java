package io.berth.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The one list of runtime-API commands Berth supports, handed to {@link CommandRegistry}; {@code help},
 * the "Unknown command" suggestions and dispatch all read it. {@code help}, {@code prompt} and {@code quit} are
 * handled by {@link CliSession}. Subsystems with their own commands (stick tables) add theirs here.
 */
public final class ApiCommands {
    private ApiCommands() {
    }

    public static CommandRegistry registry() {
        List<CliCommand> all = new ArrayList<>();
        all.addAll(ProcessCommands.commands());
        all.addAll(ServerCommands.commands());
        all.add(ShowInfo.command());
        all.add(StatCsv.command());
        all.add(ServersState.command());
        all.addAll(TableCommands.commands());
        all.add(PeersCommand.command());
        return new CommandRegistry(all);
    }
}
