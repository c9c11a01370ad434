package io.berth.proxy.tls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A JDK TLS client for tests: trusts any certificate (they are self-signed), sends the SNI and ALPN it is told,
 * and reads HTTP/1.1 responses whose length is given by {@code content-length}. One per connection, test thread.
 */
public final class TlsClient implements AutoCloseable {
    private final SSLSocket socket;
    private final InputStream in;

    /** @param sni server name to send, or null for none; @param alpn protocols to offer, empty for none */
    public TlsClient(int port, String sni, List<String> alpn) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{trustAll()}, null);
            socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            if (!alpn.isEmpty()) {
                p.setApplicationProtocols(alpn.toArray(new String[0]));
            }
            socket.setSSLParameters(p);
            socket.startHandshake();
            in = socket.getInputStream();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    /** The certificate the server presented. */
    public X509Certificate peer() {
        try {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String protocol() {
        return socket.getSession().getProtocol();
    }

    public String alpn() {
        return socket.getApplicationProtocol();
    }

    public TlsClient send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One response: head (up to the blank line) and a {@code content-length} body, as one string. */
    public String readResponse() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed after " + b);
                }
                b.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                        : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            String head = b.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
