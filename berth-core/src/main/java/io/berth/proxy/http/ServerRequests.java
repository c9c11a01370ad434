package io.berth.proxy.http;

import io.berth.model.HttpConnectionMode;
import io.berth.model.ProxyOptionsSpec;
import io.berth.runtime.RuntimeBackend;
import io.berth.runtime.RuntimeFrontend;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Builds the messages Berth sends on: the request for the server (end-to-end headers lower-cased, then HAProxy's
 * own headers appended last: {@code x-forwarded-for}, {@code connection: close}) and the response head for the
 * client. Also resolves HAProxy's connection mode from the frontend and backend options. Stateless.
 */
final class ServerRequests {
    private ServerRequests() {
    }

    /** HAProxy combines both proxies' options: httpclose wins over http-server-close, which wins over keep-alive. */
    static HttpConnectionMode mode(RuntimeFrontend fe, RuntimeBackend be) {
        HttpConnectionMode a = fe.spec().options().connectionMode();
        HttpConnectionMode b = be == null ? HttpConnectionMode.KEEP_ALIVE : be.spec().options().connectionMode();
        if (a == HttpConnectionMode.CLOSE || b == HttpConnectionMode.CLOSE) {
            return HttpConnectionMode.CLOSE;
        }
        if (a == HttpConnectionMode.SERVER_CLOSE || b == HttpConnectionMode.SERVER_CLOSE) {
            return HttpConnectionMode.SERVER_CLOSE;
        }
        return HttpConnectionMode.KEEP_ALIVE;
    }

    static HttpRequest forServer(HttpTransaction tx, RuntimeFrontend fe, RuntimeBackend be, HttpConnectionMode mode) {
        HttpRequest in = tx.request;
        HttpRequest out = new DefaultHttpRequest(in.protocolVersion(), in.method(), in.uri(), H1Rules.UNCHECKED_VALUES);
        // An Upgrade request (WebSocket) keeps its Upgrade and asks the server for it: UpgradeTunnel takes over on 101.
        boolean upgrade = UpgradeTunnel.requested(in);
        HopByHopHeaders.copyEndToEnd(in.headers(), out.headers(), upgrade);
        ProxyOptionsSpec opts = be.spec().options().forwardFor() ? be.spec().options()
                : fe.spec().options().forwardFor() ? fe.spec().options() : null;
        if (opts != null && tx.sourceAddress() != null) {
            String name = opts.forwardForHeader().toLowerCase(Locale.ROOT);
            boolean present = out.headers().contains(name);
            boolean excepted = opts.forwardForExceptNetwork() != null
                    && inNetwork(tx.sourceAddress(), opts.forwardForExceptNetwork());
            if (!excepted && !(opts.forwardForIfNone() && present)) {
                out.headers().add(AsciiString.of(name), tx.sourceAddress().getHostAddress());
            }
        }
        if (upgrade) {
            out.headers().add(AsciiString.of("connection"), "upgrade");
        } else if (mode != HttpConnectionMode.KEEP_ALIVE) {
            out.headers().add(AsciiString.of("connection"), "close");
        }
        return out;
    }

    /** The response head for the client and what it implies for the connection. */
    record ClientHead(HttpResponse response, boolean closeDelimited, boolean closeClient) {
    }

    /**
     * Builds the client's response head. A body without length (ends at the server's close) is re-framed chunked
     * for a keep-alive HTTP/1.1 client, as HAProxy does, else the client connection closes after it.
     */
    static ClientHead forClient(HttpResponse in, boolean head, HttpVersion clientVersion, boolean closeClient) {
        int code = in.status().code();
        boolean bodyless = head || code == 204 || code == 304 || code < 200;
        boolean framed = HttpUtil.isContentLengthSet(in) || HttpUtil.isTransferEncodingChunked(in);
        boolean closeDelimited = !bodyless && !framed;
        boolean client11 = clientVersion.equals(HttpVersion.HTTP_1_1);
        boolean chunk = closeDelimited && client11 && !closeClient;
        boolean close = closeClient || (closeDelimited && !chunk);
        return new ClientHead(head(in, chunk, close, !client11), closeDelimited, close);
    }

    /** A response head as is (end-to-end headers, lower-cased), plus HAProxy's own framing/connection headers. */
    static HttpResponse head(HttpResponse in, boolean chunk, boolean closeClient, boolean client10) {
        // the server's version, as HAProxy writes it (HTTP/1.0 stays 1.0), unless Berth chunks the body
        HttpResponse out = new DefaultHttpResponse(chunk ? HttpVersion.HTTP_1_1 : in.protocolVersion(), in.status(),
                H1Rules.UNCHECKED_VALUES);
        HopByHopHeaders.copyEndToEnd(in.headers(), out.headers(), false);
        if (chunk) {
            out.headers().add(AsciiString.of("transfer-encoding"), "chunked");
        }
        if (closeClient) {
            out.headers().add(AsciiString.of("connection"), "close");
        } else if (client10) {
            out.headers().add(AsciiString.of("connection"), "keep-alive");
        }
        return out;
    }

    /** {@code NET} is {@code addr[/len]}; a bare address is a host. Unparseable networks match nothing. */
    static boolean inNetwork(InetAddress ip, String net) {
        try {
            int slash = net.indexOf('/');
            InetAddress base = InetAddress.getByName(slash < 0 ? net : net.substring(0, slash));
            byte[] a = ip.getAddress();
            byte[] b = base.getAddress();
            if (a.length != b.length) {
                return false;
            }
            int bits = slash < 0 ? a.length * 8 : Integer.parseInt(net.substring(slash + 1));
            for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((a[i] & mask) != (b[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
