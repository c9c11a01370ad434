package io.berth.config;

import io.berth.model.CertificateSpec;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads the certificates of a {@code crt FILE|DIR} bind argument the way HAProxy 2.6 reads them
 * ({@code ssl_sock_load_pem_into_ckch}): a PEM file holds the certificate, then its chain, and the private key
 * (or the key sits beside it in {@code FILE.key}); a directory loads every file in name order except
 * {@code .key}, {@code .ocsp}, {@code .issuer} and {@code .sctl} companions. Refuses a missing file, a file without
 * certificate, a missing key, a key that does not belong to the certificate (HAProxy's messages) and, unlike HAProxy,
 * an expired certificate. JDK only; keys in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form. Parser thread.
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final List<String> COMPANIONS = List.of(".key", ".ocsp", ".issuer", ".sctl");

    private PemFiles() {
    }

    /** Every certificate under {@code location} (a file or a directory), in load order. */
    static List<CertificateSpec> load(String location) {
        Path path = Path.of(location);
        if (Files.isDirectory(path)) {
            List<CertificateSpec> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(path)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".") || COMPANIONS.stream().anyMatch(name::endsWith)) {
                        continue;
                    }
                    out.add(loadFile(f.toString()));
                }
            } catch (IOException e) {
                throw new ConfigException("unable to scan directory '" + location + "' : " + e.getMessage() + ".");
            }
            if (out.isEmpty()) {
                throw new ConfigException("no certificate found in directory '" + location + "'.");
            }
            return out;
        }
        return List.of(loadFile(location));
    }

    /** One PEM file: certificate chain and key (inline or in {@code FILE.key}). */
    static CertificateSpec loadFile(String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ConfigException("unable to stat SSL certificate from file '" + file
                    + "' : No such file or directory.");
        } catch (IOException e) {
            throw new ConfigException("unable to stat SSL certificate from file '" + file + "' : " + e.getMessage()
                    + ".");
        }
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if (type.equals("CERTIFICATE") || type.equals("TRUSTED CERTIFICATE")) {
                chain.add(certificate(file, der));
            } else if (type.endsWith("PRIVATE KEY") && key == null) {
                key = privateKey(file, type, der);
            }
        }
        if (chain.isEmpty()) {
            throw new ConfigException("unable to load certificate from file '" + file + "'.");
        }
        if (key == null) {
            key = keyBeside(file);
        }
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(leaf, key)) {
            throw new ConfigException("inconsistencies between private key and certificate loaded '" + file + "'.");
        }
        try {
            leaf.checkValidity(new Date());
        } catch (CertificateExpiredException e) {
            throw new ConfigException("certificate from file '" + file + "' expired on "
                    + leaf.getNotAfter().toInstant() + ".");
        } catch (CertificateNotYetValidException e) {
            // HAProxy serves it; so do we (clocks differ between machines).
        }
        return new CertificateSpec(file, chain, key, names(leaf));
    }

    private static PrivateKey keyBeside(String file) {
        Path companion = Path.of(file + ".key");
        try {
            String text = Files.readString(companion, StandardCharsets.ISO_8859_1);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                if (m.group(1).endsWith("PRIVATE KEY")) {
                    return privateKey(companion.toString(), m.group(1), Base64.getMimeDecoder().decode(m.group(2)));
                }
            }
        } catch (IOException e) {
            // reported below, in HAProxy's words
        }
        throw new ConfigException("No Private Key found in '" + companion + "'.");
    }

    private static X509Certificate certificate(String file, byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new ConfigException("unable to load certificate from file '" + file + "'.");
        }
    }

    private static PrivateKey privateKey(String file, String type, byte[] der) {
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> Der.pkcs8(Der.RSA_ALGORITHM, der);
            case "EC PRIVATE KEY" -> Der.pkcs8(Der.ecAlgorithm(der), der);
            default -> throw new ConfigException("unable to load SSL private key from PEM file '" + file
                    + "' (" + type.toLowerCase(Locale.ROOT) + " is not supported; use an unencrypted key).");
        };
        for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException("unable to load SSL private key from PEM file '" + file + "'.");
    }

    /** Signs a probe with the key and verifies it with the certificate: works for every key type. */
    private static boolean belongTogether(X509Certificate leaf, PrivateKey key) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (alg == null) {
            return leaf.getPublicKey().getAlgorithm().equals(key.getAlgorithm());
        }
        try {
            byte[] probe = "berth-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(leaf.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** CN then DNS subjectAltNames, lower case, without duplicates. */
    static List<String> names(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                }
            }
        } catch (InvalidNameException e) {
            // no usable CN
        }
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        String n = san.get(1).toString().toLowerCase(Locale.ROOT);
                        if (!names.contains(n)) {
                            names.add(n);
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // CN only
        }
        return names;
    }
}
