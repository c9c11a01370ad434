package io.berth.cli;

import io.berth.Subsystems;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code berth} command line, HAProxy's flags where HAProxy has them: {@code -f FILE} (repeatable),
 * {@code -c} (check only), {@code -L NAME} (local peer name), {@code -sf PID...} / {@code -st PID...} (reload by
 * process replacement), {@code -p PIDFILE}, {@code -d} (debug),
 * {@code -v}; plus {@code --list-keywords} and the {@code demo} subcommand. Runs on the main thread.
 */
@Command(name = "berth", mixinStandardHelpOptions = false, subcommands = DemoCommand.class,
        description = "Load balancer and reverse proxy for HAProxy configurations, built for sticky sessions.")
public final class BerthCommand implements Callable<Integer> {
    @Option(names = "-f", paramLabel = "FILE", description = "configuration file (repeatable, read in order)")
    List<Path> files = new ArrayList<>();

    @Option(names = "-c", description = "check the configuration and exit (0 valid, 1 errors)")
    boolean checkOnly;

    @Option(names = "-L", paramLabel = "NAME", description = "local peer name")
    String localPeer;

    @Option(names = "-sf", paramLabel = "PID", arity = "1..*",
            description = "reload by process replacement: once bound, tell these processes to finish (SIGUSR1)"
                    + " after handing their stick tables over through the local peer")
    List<Long> softFinish = new ArrayList<>();

    @Option(names = "-st", paramLabel = "PID", arity = "1..*",
            description = "like -sf, but the old processes are told to terminate (SIGTERM): no hand-over")
    List<Long> terminate = new ArrayList<>();

    @Option(names = "-p", paramLabel = "PIDFILE", description = "write the process id to PIDFILE")
    Path pidFile;

    @Option(names = "-d", description = "debug: log every connection and decision to stderr")
    boolean debug;

    @Option(names = {"-v", "--version"}, description = "print the version and exit")
    boolean version;

    @Option(names = "--list-keywords", description = "print every supported keyword per section and exit")
    boolean listKeywords;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BerthCommand());
        cli.setUnmatchedOptionsArePositionalParams(false);
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        Console.setDebug(debug);
        if (version) {
            System.out.println("Berth version " + Version.current() + " (HAProxy 2.6 configuration compatible)");
            return 0;
        }
        if (listKeywords) {
            System.out.print(Subsystems.keywords().listing());
            return 0;
        }
        if (files.isEmpty()) {
            System.err.println("berth: no configuration file given: use -f FILE (or 'berth demo'). See 'berth --help'.");
            return 1;
        }
        if (checkOnly) {
            return ConfigCheck.run(files, localPeer);
        }
        return BerthProcess.run(new BerthProcess.Options(files, localPeer, pidFile, null, softFinish, terminate));
    }
}
