package io.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code berth demo}: starts the two demo application servers (app1 on 127.0.0.1:9001, app2 on :9002) in this
 * JVM and runs {@code examples/cookie-insert.cfg} (frontend on 127.0.0.1:8080), then prints the commands to
 * try. Ctrl-C stops everything. The configuration is read from the bundled copy when the examples folder is not
 * next to the working directory, so the demo runs from anywhere.
 */
@Command(name = "demo", description = "Run the article's cookie configuration against two built-in demo backends.")
final class DemoCommand implements Callable<Integer> {
    static final int APP1_PORT = 9001;
    static final int APP2_PORT = 9002;
    static final String CONFIG = "examples/cookie-insert.cfg";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Override
    public Integer call() throws IOException {
        Path config = configFile();
        try (DemoBackends backends = DemoBackends.start(APP1_PORT, APP2_PORT)) {
            Console.notice("demo backends app1 on 127.0.0.1:" + APP1_PORT + ", app2 on 127.0.0.1:" + APP2_PORT);
            return BerthProcess.run(new BerthProcess.Options(List.of(config), null, null,
                    () -> System.out.println(instructions(config))));
        } catch (java.net.BindException e) {
            Console.alert("demo: cannot listen on 127.0.0.1:" + APP1_PORT + "/" + APP2_PORT
                    + " (already in use?): " + e.getMessage());
            return 1;
        }
    }

    /** The repository's examples/cookie-insert.cfg, else the copy bundled in the jar written to a temp file. */
    private static Path configFile() throws IOException {
        Path local = Path.of(CONFIG);
        if (Files.isRegularFile(local)) {
            return local;
        }
        try (InputStream in = DemoCommand.class.getResourceAsStream("/" + CONFIG)) {
            if (in == null) {
                throw new IOException("bundled " + CONFIG + " missing from the jar");
            }
            Path tmp = Files.createTempFile("berth-demo-", ".cfg");
            tmp.toFile().deleteOnExit();
            Files.write(tmp, in.readAllBytes());
            return tmp;
        }
    }

    static String instructions(Path config) {
        return String.join("\n",
                "",
                "Berth demo is running: " + config + " on http://127.0.0.1:8080/ (Ctrl-C to stop)",
                "",
                "  # first visit: Berth picks a server and inserts the persistence cookie",
                "  curl -v http://127.0.0.1:8080/ 2>&1 | grep -i 'set-cookie\\|x-served-by'",
                "",
                "  # pinned: with the cookie every request goes to app1, and the server never sees SRVID (indirect)",
                "  curl -v -b 'SRVID=app1' http://127.0.0.1:8080/ 2>&1 | grep -i 'x-served-by\\|cookie'",
                "",
                "  # without a cookie, requests are balanced round robin",
                "  for i in 1 2 3 4; do curl -s http://127.0.0.1:8080/ ; done",
                "");
    }
}
