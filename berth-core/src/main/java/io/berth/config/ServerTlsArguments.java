package io.berth.config;

import io.berth.model.ServerTlsSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The TLS arguments of {@code server} and {@code default-server} lines: {@code ssl}, {@code check-ssl},
 * {@code verify none|required}, {@code ca-file FILE}, {@code crt FILE}, {@code sni EXPR}, {@code check-sni NAME},
 * written into {@link ServerTlsSpec}. Files are read here so that a bad one is reported at its line; the
 * {@code sni} expression is compiled when the runtime builds the server's TLS context (config imports no sample
 * code). Messages are HAProxy 2.6's ({@code haproxy -c}); the argument loop appends the final dot as HAProxy does.
 * Parser thread.
 */
final class ServerTlsArguments {
    /** HAProxy's post-parse check (src/ssl_sock.c ssl_sock_prepare_srv_ctx) when verify is left at required. */
    static final String NO_CA_FILE = "verify is enabled by default but no CA file specified. If you're running on a"
            + " LAN where you're certain to trust the server's certificate, please set an explicit 'verify none'"
            + " statement on the 'server' line, or use 'ssl-server-verify none' in the global section to disable"
            + " server-side verifications by default.";

    private ServerTlsArguments() {
    }

    static List<ServerArgument> arguments() {
        List<ServerArgument> a = new ArrayList<>();
        a.add(ServerArgument.of("ssl", 0, "ssl", (s, v, ctx) -> s.tls = s.tls.withSsl(true)));
        a.add(ServerArgument.of("no-ssl", 0, "no-ssl", (s, v, ctx) -> s.tls = s.tls.withSsl(false)));
        a.add(ServerArgument.of("check-ssl", 0, "check-ssl", (s, v, ctx) -> s.tls = s.tls.withCheckSsl(true)));
        a.add(ServerArgument.of("no-check-ssl", 0, "no-check-ssl",
                (s, v, ctx) -> s.tls = s.tls.withCheckSsl(false)));
        a.add(ServerArgument.of("verify", 1, "verify none|required", (s, v, ctx) -> {
            switch (v.get(0)) {
                case "none" -> s.tls = s.tls.withVerifyNone(true);
                case "required" -> s.tls = s.tls.withVerifyNone(false);
                default -> throw new ConfigException("'verify' : unknown verify method '" + v.get(0)
                        + "', only 'none' and 'required' are supported");
            }
        }));
        a.add(ServerArgument.of("ca-file", 1, "ca-file <file>",
                (s, v, ctx) -> s.tls = s.tls.withCa(v.get(0), caFile(v.get(0)))));
        a.add(ServerArgument.of("crt", 1, "crt <file>", (s, v, ctx) -> {
            try {
                s.tls = s.tls.withCrt(PemFiles.loadFile(v.get(0)));
            } catch (ConfigException e) {
                String m = e.getMessage();
                throw new ConfigException(m.endsWith(".") ? m.substring(0, m.length() - 1) : m);
            }
        }));
        a.add(ServerArgument.of("sni", 1, "sni <expression>", (s, v, ctx) -> s.tls = s.tls.withSni(v.get(0))));
        a.add(ServerArgument.of("check-sni", 1, "check-sni <sni>",
                (s, v, ctx) -> s.tls = s.tls.withCheckSni(v.get(0))));
        return a;
    }

    /**
     * What HAProxy refuses once a server line is complete: TLS with {@code verify required} (the default) and no
     * {@code ca-file}. Not applied to {@code default-server}, as in HAProxy.
     */
    static void checkServer(ServerTlsSpec tls) {
        if (tls.any() && !tls.verifyNone() && tls.caFile() == null) {
            throw new ConfigException(NO_CA_FILE);
        }
    }

    /** Every certificate in a PEM CA file; HAProxy's wording when it cannot be read or holds none. */
    private static List<X509Certificate> caFile(String file) {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException("Couldn't open the ca-file '" + file + "' (No such file or directory)");
        } catch (IOException e) {
            throw new ConfigException("Couldn't open the ca-file '" + file + "' (" + e.getMessage() + ")");
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new ConfigException("'ca-file' : unable to load " + file);
        }
        if (out.isEmpty()) {
            throw new ConfigException("'ca-file' : unable to load " + file);
        }
        return List.copyOf(out);
    }
}
