package io.berth.peers;

import io.berth.peers.wire.Control;
import io.berth.peers.wire.Handshake;
import io.berth.peers.wire.PeerFrames;
import io.berth.peers.wire.PeerInbound;
import io.berth.peers.wire.PeerProtocolException;
import io.berth.peers.wire.StickTableMessages;
import io.berth.persist.stick.StickClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One peer connection, either direction, as a Netty inbound handler: the handshake (as connector it sends the
 * hello and reads the status; as acceptor it checks the three lines and answers 200 or the error code of
 * src/peers.c), then messages. It answers resync requests by teaching, confirms resyncs, applies received
 * updates to the tables and acknowledges them after each read, and pushes queued entries while the socket is
 * writable. Heartbeats and the silence rule are driven by {@link PeerSection}'s ticker through {@link #tick}.
 * All methods run on the section's single event loop.
 */
final class PeerSession extends ChannelInboundHandlerAdapter {
    private enum State { HELLO_1, HELLO_2, HELLO_3, STATUS, ESTABLISHED, CLOSED }

    private final PeerSection section;
    private final boolean connector;
    private State state;
    private PeerSection.RemotePeer remote;
    private ChannelHandlerContext ctx;
    private ByteBuf in = Unpooled.EMPTY_BUFFER;
    private final PeerInbound inbound = new PeerInbound();
    private final PeerOutbound outbound = new PeerOutbound();
    /** The other side's table ids whose updates we applied since the last read, with the last update id. */
    private final Map<Integer, Long> toAck = new LinkedHashMap<>();
    private final Map<Integer, SyncedTable> remoteTables = new java.util.HashMap<>();
    private long lastSent;
    private long lastReceived;
    private long silencePeriodEnd;
    private boolean receivedInPeriod;

    PeerSession(PeerSection section, PeerSection.RemotePeer remote) {
        this.section = section;
        this.connector = remote != null;
        this.remote = remote;
        this.state = connector ? State.STATUS : State.HELLO_1;
    }

    PeerSection.RemotePeer remote() {
        return remote;
    }

    /** When this session last wrote (section clock), for {@code show peers}' heartbeat timer. */
    long lastSent() {
        return lastSent;
    }

    boolean established() {
        return state == State.ESTABLISHED;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long now = section.clock();
        lastReceived = now;
        lastSent = now;
        silencePeriodEnd = now + PeerSection.SILENCE_MS;
        if (connector) {
            if (!section.connected(this)) {
                state = State.CLOSED;
                ctx.close();
                return;
            }
            send(Unpooled.wrappedBuffer(Handshake.hello(remote.name, section.localName(), ProcessHandle.current()
                    .pid())));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        if (state == State.CLOSED) {
            b.release();
            return;
        }
        in = in.isReadable() ? Unpooled.wrappedBuffer(in, b) : b;
        lastReceived = section.clock();
        receivedInPeriod = true;
        try {
            while (state != State.CLOSED && readOne()) {
                // loop until the buffer holds no whole line or message
            }
        } catch (PeerProtocolException e) {
            section.log("peer " + name() + ": " + e.getMessage() + ", closing");
            if (remote != null) {
                remote.protoErr++;
            }
            if (state == State.ESTABLISHED) {
                send(Unpooled.wrappedBuffer((e.isSizeLimit() ? Control.SIZE_ERROR : Control.PROTOCOL_ERROR).bytes()));
            }
            close();
        }
        if (in.isReadable()) {
            ByteBuf keep = ctx.alloc().buffer(in.readableBytes());
            keep.writeBytes(in);
            in.release();
            in = keep;
        } else {
            in.release();
            in = Unpooled.EMPTY_BUFFER;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!toAck.isEmpty() && state == State.ESTABLISHED) {
            ByteBuf out = ctx.alloc().buffer();
            toAck.forEach((id, upd) -> StickTableMessages.writeAck(out, id, upd));
            toAck.clear();
            send(out);
        }
    }

    private String name() {
        return remote == null ? "(handshake)" : remote.name;
    }

    /** Handles one line or message; false when more bytes are needed. */
    private boolean readOne() throws PeerProtocolException {
        switch (state) {
            case HELLO_1, HELLO_2, HELLO_3 -> {
                String line = Handshake.line(in);
                if (line == null) {
                    return false;
                }
                helloLine(line);
                return true;
            }
            case STATUS -> {
                String line = Handshake.line(in);
                if (line == null) {
                    return false;
                }
                int code = Handshake.parseStatus(line);
                if (code != Handshake.OK) {
                    section.refused(remote, code);
                    close();
                    return false;
                }
                section.up(this);
                return true;
            }
            case ESTABLISHED -> {
                PeerFrames.Frame f = PeerFrames.next(in);
                if (f == null) {
                    return false;
                }
                message(inbound.decode(f));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void helloLine(String line) {
        int code = switch (state) {
            case HELLO_1 -> Handshake.checkProtocol(line);
            case HELLO_2 -> Handshake.checkLocalName(line, section.localName());
            default -> Handshake.checkRemote(line, section::isRemote);
        };
        if (code != Handshake.OK) {
            send(Unpooled.wrappedBuffer(Handshake.status(code)));
            close();
            return;
        }
        if (state == State.HELLO_1) {
            if (line.endsWith(" 2.0")) {
                outbound.downgrade();
            }
            state = State.HELLO_2;
        } else if (state == State.HELLO_2) {
            state = State.HELLO_3;
        } else {
            remote = section.remote(Handshake.remoteName(line));
            if (remote.local && section.localSessionRunning()) {
                send(Unpooled.wrappedBuffer(Handshake.status(Handshake.TRY_AGAIN)));
                close();
                return;
            }
            send(Unpooled.wrappedBuffer(Handshake.status(Handshake.OK)));
            section.up(this);
        }
    }

    /** Called by the section once this session is the remote's session. */
    void start() {
        state = State.ESTABLISHED;
        pump();
    }

    private void message(PeerInbound.Message m) {
        if (m instanceof PeerInbound.ControlMessage c) {
            control(c.control());
        } else if (m instanceof PeerInbound.Definition d) {
            remoteTables.put(d.definition().tableId(), section.sync().match(d.definition()));
        } else if (m instanceof PeerInbound.Update u) {
            // a definition that matched no local table (name, key type, size) makes its updates ignored
            SyncedTable t = remoteTables.get(u.table().tableId());
            if (t != null) {
                t.apply(u.update(), StickClock.now());
            }
            toAck.put(u.table().tableId(), u.update().updateId());
        } else if (m instanceof PeerInbound.Ack a) {
            outbound.acked(a.tableId(), a.updateId());
        }
    }

    private void control(Control c) {
        switch (c) {
            case RESYNC_REQUEST -> teach();
            case RESYNC_FINISHED, RESYNC_PARTIAL -> {
                // state first: the confirm may end the teacher's hand-over before this method returns
                section.resyncEnded(this, c == Control.RESYNC_FINISHED);
                send(Unpooled.wrappedBuffer(Control.RESYNC_CONFIRM.bytes()));
            }
            case RESYNC_CONFIRM -> section.confirmed(this);
            case HEARTBEAT -> remote.rxHbt++;
            case PROTOCOL_ERROR, SIZE_ERROR -> {
                section.log("peer " + name() + " reported " + c + ", closing");
                close();
            }
            default -> { }
        }
    }

    /** Sends every table (timed updates), then {@code 00 01} when up to date, else {@code 00 02}. */
    void teach() {
        ByteBuf out = ctx.alloc().buffer();
        section.sync().teach(out, outbound, StickClock.now());
        out.writeBytes((section.upToDate() ? Control.RESYNC_FINISHED : Control.RESYNC_PARTIAL).bytes());
        send(out);
    }

    void sendControl(Control c) {
        send(Unpooled.wrappedBuffer(c.bytes()));
    }

    /** Sends queued entries while the socket accepts them; resumes on writability. */
    void pump() {
        if (state != State.ESTABLISHED || remote.local) {
            return;
        }
        int batches = 0;
        while (ctx.channel().isWritable() && batches++ < 16) {
            ByteBuf out = ctx.alloc().buffer();
            if (!section.sync().push(remote.name, out, outbound, StickClock.now())) {
                out.release();
                return;
            }
            send(out);
        }
        if (ctx.channel().isWritable() && !section.sync().backlog(remote.name).isEmpty()) {
            ctx.executor().execute(this::pump);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pump();
        }
    }

    /** Heartbeat after 3 s without sending; close after a 5 s period with nothing received. */
    void tick(long now) {
        if (state == State.CLOSED) {
            return;
        }
        if (now >= silencePeriodEnd) {
            if (!receivedInPeriod) {
                section.log("peer " + name() + ": nothing received for " + (now - lastReceived) + " ms, closing");
                if (remote != null) {
                    remote.noHbt++;
                }
                close();
                return;
            }
            receivedInPeriod = false;
            silencePeriodEnd = now + PeerSection.SILENCE_MS;
        }
        if (state == State.ESTABLISHED && now - lastSent >= PeerSection.HEARTBEAT_MS) {
            sendControl(Control.HEARTBEAT);
            remote.txHbt++;
        }
    }

    private void send(ByteBuf b) {
        lastSent = section.clock();
        ctx.writeAndFlush(b);
    }

    void close() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        in.release();
        in = Unpooled.EMPTY_BUFFER;
        if (remote != null && !remote.local) {
            outbound.forEachUnacked(t -> section.sync().backlog(remote.name).markFull(t));
        }
        section.down(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        section.log("peer " + name() + ": " + cause.getMessage() + ", closing");
        close();
    }
}
