package io.berth.config;

import io.berth.model.CertificateSpec;
import io.berth.model.TlsBindSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The TLS and protocol options of a {@code bind} line ({@code ssl}, {@code crt}, {@code alpn}, {@code ssl-min-ver},
 * {@code ssl-max-ver}, {@code ciphers}, {@code ciphersuites}, {@code proto}), read into a {@link TlsBindSpec}. Options
 * of other subsystems are skipped (their values too, when this class knows they take one). Messages are HAProxy
 * 2.6's, prefixed {@code 'bind ADDR' in section 'S' : }. Certificates are loaded here ({@link PemFiles}) so that a
 * bad file is reported at its line, as {@code haproxy -c} does. Parser thread.
 */
final class BindOptions {
    /** What the bind line asks for beyond its address. */
    record Parsed(TlsBindSpec tls, String proto) {
    }

    static final Set<String> VERSIONS = Set.of("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** Bind options (of HAProxy's) that take one value: skipped here without reading the value as an option. */
    private static final Set<String> VALUED = Set.of("name", "id", "maxconn", "backlog", "process", "thread",
            "interface", "mss", "nice", "tcp-ut", "level", "severity-output", "user", "group", "uid", "gid",
            "mode", "namespace", "ca-file", "crl-file", "verify", "curves", "ecdhe", "crt-list", "npn",
            "ca-ignore-err", "crt-ignore-err", "sigalgs", "client-sigalgs", "ca-verify-file", "ocsp-update",
            "accept-netscaler-cip");

    private BindOptions() {
    }

    /**
     * @param where   the bind's own words for messages, e.g. {@code 127.0.0.1:8443}
     * @param section the section word ({@code frontend}, {@code listen})
     */
    static Parsed parse(List<String> options, String where, String section) {
        String prefix = "'bind " + where + "' in section '" + section + "' : ";
        try {
            return parse(options);
        } catch (ConfigException e) {
            throw new ConfigException(prefix + e.getMessage());
        }
    }

    private static Parsed parse(List<String> o) {
        boolean ssl = false;
        List<CertificateSpec> certs = new ArrayList<>();
        List<String> alpn = List.of();
        String min = null;
        String max = null;
        String ciphers = null;
        String suites = null;
        String proto = null;
        for (int i = 0; i < o.size(); i++) {
            String w = o.get(i);
            switch (w) {
                case "ssl" -> ssl = true;
                case "crt" -> {
                    String v = value(o, i++, "missing certificate location");
                    certs.addAll(PemFiles.load(v));
                }
                case "alpn" -> alpn = Arrays.stream(value(o, i++, "missing the comma-delimited ALPN protocol suite")
                        .split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                case "ssl-min-ver" -> min = version(value(o, i++, "missing the version argument"));
                case "ssl-max-ver" -> max = version(value(o, i++, "missing the version argument"));
                case "ciphers" -> ciphers = value(o, i++, "missing cipher suite");
                case "ciphersuites" -> suites = value(o, i++, "missing cipher suite");
                case "proto" -> {
                    proto = value(o, i++, "missing MUX protocol name");
                    if (!proto.equals("h2") && !proto.equals("h1")) {
                        throw new ConfigException("'proto' :  unknown MUX protocol '" + proto + "'");
                    }
                }
                default -> {
                    if (VALUED.contains(w)) {
                        i++;
                    }
                }
            }
        }
        TlsBindSpec tls = null;
        if (ssl) {
            if (certs.isEmpty()) {
                throw new ConfigException("no SSL certificate specified (use 'crt').");
            }
            tls = new TlsBindSpec(certs, alpn, min, max, ciphers, suites);
        }
        return new Parsed(tls, proto);
    }

    private static String value(List<String> o, int i, String missing) {
        if (i + 1 >= o.size() || o.get(i + 1).isEmpty()) {
            throw new ConfigException("'" + o.get(i) + "' : " + missing);
        }
        return o.get(i + 1);
    }

    private static String version(String v) {
        if (!VERSIONS.contains(v)) {
            throw new ConfigException("'" + v + "' : unknown ssl/tls version");
        }
        return v;
    }
}
