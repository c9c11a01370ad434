package io.berth.peers.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns the messages one connection receives into typed messages, keeping what decoding depends on: the tables
 * the other side defined (by its ids), the table its updates currently refer to, the last update id per table
 * (for incremental updates) and the {@code server_key} dictionary. One per connection, used only by its event
 * loop. Everything malformed becomes a {@link PeerProtocolException}; unknown classes and stick-table types
 * HAProxy ignores are returned as {@link Ignored}.
 */
public final class PeerInbound {
    /** What a received message was. */
    public sealed interface Message permits ControlMessage, Definition, Update, Ack, Ignored {
    }

    public record ControlMessage(Control control) implements Message {
    }

    public record Definition(TableDefinition definition) implements Message {
    }

    /** An entry update of {@code table} (the other side's definition in force when it arrived). */
    public record Update(TableDefinition table, TableUpdate update) implements Message {
    }

    public record Ack(int tableId, long updateId) implements Message {
    }

    public record Ignored(int cls, int type) implements Message {
    }

    /** Distinct table ids one peer may define: HAProxy numbers its tables 1..n, n is small. */
    private static final int MAX_TABLES = 4096;

    private final Map<Integer, TableDefinition> tables = new HashMap<>();
    private final Map<Integer, Long> lastIds = new HashMap<>();
    private final ServerKeyCache cache = new ServerKeyCache();
    private TableDefinition current;

    /**
     * Decodes one frame.
     *
     * @throws PeerProtocolException for an unknown control or error type, the reserved class 255, an update
     *                               before any definition, a switch to a table never defined, or any malformed
     *                               payload
     */
    public Message decode(PeerFrames.Frame f) throws PeerProtocolException {
        switch (f.cls()) {
            case PeerFrames.CLASS_CONTROL, PeerFrames.CLASS_ERROR -> {
                Control c = Control.of(f.cls(), f.type());
                if (c == null) {
                    throw new PeerProtocolException("unknown " + (f.cls() == 0 ? "control" : "error") + " message "
                            + f.type());
                }
                return new ControlMessage(c);
            }
            case PeerFrames.CLASS_STICKTABLE -> {
                return stickTable(f);
            }
            case PeerFrames.CLASS_RESERVED -> throw new PeerProtocolException("message of reserved class 255");
            default -> {
                return new Ignored(f.cls(), f.type());
            }
        }
    }

    private Message stickTable(PeerFrames.Frame f) throws PeerProtocolException {
        switch (f.type()) {
            case StickTableMessages.DEFINE -> {
                TableDefinition d = TableDefinition.decode(f.payload());
                if (!tables.containsKey(d.tableId()) && tables.size() >= MAX_TABLES) {
                    throw new PeerProtocolException("more than " + MAX_TABLES + " table definitions");
                }
                tables.put(d.tableId(), d);
                current = d;
                return new Definition(d);
            }
            case StickTableMessages.SWITCH -> {
                int id = StickTableMessages.readSwitch(f.payload());
                TableDefinition d = tables.get(id);
                if (d == null) {
                    throw new PeerProtocolException("switch to unknown table id " + id);
                }
                current = d;
                return new Ignored(f.cls(), f.type());
            }
            case StickTableMessages.ACK -> {
                StickTableMessages.Ack a = StickTableMessages.readAck(f.payload());
                return new Ack(a.tableId(), a.updateId());
            }
            case StickTableMessages.UPDATE, StickTableMessages.UPDATE_INCR, StickTableMessages.UPDATE_TIMED,
                 StickTableMessages.UPDATE_TIMED_INCR -> {
                if (current == null) {
                    throw new PeerProtocolException("update before any table definition");
                }
                TableUpdate u = UpdateCodec.decode(f.type(), f.payload(), current, cache,
                        lastIds.getOrDefault(current.tableId(), 0L));
                lastIds.put(current.tableId(), u.updateId());
                return new Update(current, u);
            }
            default -> {
                return new Ignored(f.cls(), f.type());
            }
        }
    }
}
