package io.berth.proxy.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made at test time, in HAProxy's PEM layout (certificate then private key in one
 * file). Uses {@code openssl req -x509} when openssl is installed, else the JDK's keytool and a PEM conversion
 * here; expired certificates always come from keytool ({@code -startdate -3d -validity 1}). Test threads.
 */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** A PEM with CN {@code cn} and DNS subjectAltNames {@code cn} and {@code more}. */
    public static Path selfSigned(Path dir, String file, String cn, String... more) {
        Path out = dir.resolve(file);
        List<String> sans = new ArrayList<>();
        sans.add("DNS:" + cn);
        for (String m : more) {
            sans.add("DNS:" + m);
        }
        if (Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            Path key = dir.resolve(file + ".tmpkey");
            Path crt = dir.resolve(file + ".tmpcrt");
            run("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                    "-out", crt.toString(), "-days", "3", "-subj", "/CN=" + cn, "-addext",
                    "subjectAltName=" + String.join(",", sans));
            try {
                Files.writeString(out, Files.readString(crt) + Files.readString(key));
                Files.delete(key);
                Files.delete(crt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }
        return viaKeytool(dir, file, cn, String.join(",", sans).toLowerCase(), null);
    }

    /** A PEM whose certificate expired two days ago. */
    public static Path expired(Path dir, String file, String cn) {
        return viaKeytool(dir, file, cn, "dns:" + cn, "-3d");
    }

    /** The certificate of {@code a} followed by the key of {@code b}: a mismatched pair. */
    public static Path mismatched(Path dir, String file, Path a, Path b) {
        try {
            String first = Files.readString(a);
            String second = Files.readString(b);
            String cert = first.substring(0, first.indexOf("-----END CERTIFICATE-----") + 26);
            String key = second.substring(second.indexOf("-----BEGIN PRIVATE KEY-----"));
            Path out = dir.resolve(file);
            Files.writeString(out, cert + key);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only the certificate part of {@code pem}, without its key. */
    public static Path certificateOnly(Path dir, String file, Path pem) {
        try {
            String text = Files.readString(pem);
            Path out = dir.resolve(file);
            Files.writeString(out, text.substring(0, text.indexOf("-----END CERTIFICATE-----") + 26));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path viaKeytool(Path dir, String file, String cn, String sans, String startDate) {
        Path store = dir.resolve(file + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> cmd = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "k", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=" + cn, "-ext", "SAN=" + sans, "-validity", "1", "-storetype",
                "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        if (startDate != null) {
            cmd.addAll(List.of("-startdate", startDate));
        }
        run(cmd.toArray(new String[0]));
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, "changeit".toCharArray());
            Certificate cert = ks.getCertificate("k");
            Key key = ks.getKey("k", "changeit".toCharArray());
            Path out = dir.resolve(file);
            Files.writeString(out, pem("CERTIFICATE", cert.getEncoded()) + pem("PRIVATE KEY", key.getEncoded()));
            Files.delete(store);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
