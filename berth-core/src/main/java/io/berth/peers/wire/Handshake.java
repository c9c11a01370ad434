package io.berth.peers.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The text handshake that opens every peer connection (doc/peers-v2.0.txt §"handshake", verified against 2.6):
 * the connector sends {@code HAProxyS 2.1\n<name of the peer called>\n<own name> <pid> <relative pid>\n}, the
 * acceptor answers one status line and, unless it is {@code 200}, closes. Stateless.
 */
public final class Handshake {
    public static final int OK = 200;
    /** Try again later (a local-peer session is already running). */
    public static final int TRY_AGAIN = 300;
    /** Protocol token wrong, or no space in line 3. */
    public static final int BAD_PROTOCOL = 501;
    /** Major version not 2, or minor above 1. */
    public static final int BAD_VERSION = 502;
    /** Line 2 is not the acceptor's local peer name. */
    public static final int BAD_LOCAL_NAME = 503;
    /** Line 3 names no peer of the section. */
    public static final int UNKNOWN_PEER = 504;

    /** Lines longer than this are refused (HAProxy reads them into one small buffer). */
    public static final int MAX_LINE = 256;

    private Handshake() {
    }

    /** The connector's three lines. */
    public static byte[] hello(String calledPeer, String localName, long pid) {
        return ("HAProxyS 2.1\n" + calledPeer + "\n" + localName + " " + pid + " 1\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] status(int code) {
        return (code + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Takes one line off {@code in} (without its LF or CRLF), or returns null when the LF has not arrived yet.
     *
     * @throws PeerProtocolException when the line is longer than {@link #MAX_LINE}
     */
    public static String line(ByteBuf in) throws PeerProtocolException {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new PeerProtocolException("handshake line longer than " + MAX_LINE + " bytes");
            }
            return null;
        }
        int len = lf - in.readerIndex();
        if (len > MAX_LINE) {
            throw new PeerProtocolException("handshake line longer than " + MAX_LINE + " bytes");
        }
        String s = in.toString(in.readerIndex(), len, StandardCharsets.ISO_8859_1);
        in.readerIndex(lf + 1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The status for line 1 ({@code HAProxyS 2.1}): {@link #OK}, {@link #BAD_PROTOCOL} or {@link #BAD_VERSION}. */
    public static int checkProtocol(String line) {
        if (!line.startsWith("HAProxyS ")) {
            return BAD_PROTOCOL;
        }
        String v = line.substring(9);
        int dot = v.indexOf('.');
        if (dot <= 0) {
            return BAD_PROTOCOL;
        }
        try {
            int major = Integer.parseInt(v.substring(0, dot));
            int minor = Integer.parseInt(v.substring(dot + 1));
            return major != 2 || minor > 1 ? BAD_VERSION : OK;
        } catch (NumberFormatException e) {
            return BAD_VERSION;
        }
    }

    /** The status for line 2 (the name the connector believes we have). */
    public static int checkLocalName(String line, String localName) {
        return line.equals(localName) ? OK : BAD_LOCAL_NAME;
    }

    /** The status for line 3 ({@code <name> <pid> <relative pid>}). */
    public static int checkRemote(String line, Predicate<String> knownPeer) {
        int sp = line.indexOf(' ');
        if (sp < 0) {
            return BAD_PROTOCOL;
        }
        return knownPeer.test(line.substring(0, sp)) ? OK : UNKNOWN_PEER;
    }

    /** The connector's name from a line 3 that passed {@link #checkRemote}. */
    public static String remoteName(String line) {
        return line.substring(0, line.indexOf(' '));
    }

    /** The code of a status line, or -1 when it is not a number. */
    public static int parseStatus(String line) {
        try {
            return Integer.parseInt(line.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
