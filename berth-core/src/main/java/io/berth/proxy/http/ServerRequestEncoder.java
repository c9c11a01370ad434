package io.berth.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Netty's request encoder, but the request line's URI goes out as the client's bytes. The parser reads a byte per
 * character; Netty writes the URI back in UTF-8, so a byte above 0x7F (a raw Latin-1 or already UTF-8 octet)
 * would reach the server as two. HAProxy forwards the bytes it got (checked: {@code MalformedHeadDifferentialIT}).
 * A URI a rule built with characters beyond one byte still goes out in UTF-8.
 */
final class ServerRequestEncoder extends HttpRequestEncoder {
    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
        String uri = request.uri();
        if (!isLatin1(uri)) {
            super.encodeInitialLine(buf, request);
            return;
        }
        ByteBufUtil.copy(request.method().asciiName(), buf);
        buf.writeByte(' ');
        buf.writeCharSequence(uri.isEmpty() ? "/" : uri, StandardCharsets.ISO_8859_1);
        buf.writeByte(' ');
        buf.writeCharSequence(request.protocolVersion().text(), StandardCharsets.US_ASCII);
        buf.writeByte('\r');
        buf.writeByte('\n');
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
