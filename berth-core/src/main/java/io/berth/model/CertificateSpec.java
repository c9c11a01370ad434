package io.berth.model;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One certificate loaded from a {@code crt} PEM file (HAProxy's convention: the certificate, its chain and its
 * private key in one file, or the key beside it in {@code FILE.key}).
 *
 * @param file  the file it came from, as written (for messages)
 * @param chain the leaf certificate first, then the intermediates in file order
 * @param key   the leaf's private key
 * @param names host names the leaf answers for in SNI: its subject CN and DNS subjectAltNames, lower case,
 *              wildcards kept as {@code *.example.com}
 */
public record CertificateSpec(String file, List<X509Certificate> chain, PrivateKey key, List<String> names) {
    public CertificateSpec {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }
}
