package io.berth.config;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER to wrap the traditional OpenSSL key forms into PKCS#8, which is what the JDK reads:
 * {@code PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }}. A PKCS#1 RSA key goes
 * in whole with the rsaEncryption OID; a SEC1 EC key goes in whole with id-ecPublicKey and the curve OID read from
 * its {@code [0] parameters}. Stateless.
 */
final class Der {
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** OID id-ecPublicKey (1.2.840.10045.2.1), tag and length included. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Der() {
    }

    static byte[] pkcs8(byte[] algorithm, byte[] key) {
        byte[] version = {0x02, 0x01, 0x00};
        return tlv(0x30, concat(version, algorithm, tlv(0x04, key)));
    }

    /** AlgorithmIdentifier { id-ecPublicKey, curve } for a SEC1 {@code ECPrivateKey}. */
    static byte[] ecAlgorithm(byte[] sec1) {
        // ECPrivateKey ::= SEQUENCE { INTEGER 1, OCTET STRING, [0] OID OPTIONAL, [1] BIT STRING OPTIONAL }
        int[] seq = header(sec1, 0);
        int p = seq[0];
        int end = seq[0] + seq[1];
        while (p < end) {
            int tag = sec1[p] & 0xff;
            int[] h = header(sec1, p);
            if (tag == 0xa0) {
                byte[] oid = Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
                return tlv(0x30, concat(EC_PUBLIC_KEY, oid));
            }
            p = h[0] + h[1];
        }
        throw new IllegalArgumentException("EC key without curve parameters");
    }

    /** {content offset, content length} of the element starting at {@code at}. */
    private static int[] header(byte[] d, int at) {
        int len = d[at + 1] & 0xff;
        int off = at + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (d[off + i] & 0xff);
            }
            off += n;
        }
        return new int[]{off, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
