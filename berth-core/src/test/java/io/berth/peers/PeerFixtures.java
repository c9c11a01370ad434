package io.berth.peers;

import io.berth.model.Location;
import io.berth.model.PeersSpec;
import io.berth.model.StickTableSpec;
import io.berth.persist.stick.ServerKeys;
import io.berth.persist.stick.StickClock;
import io.berth.persist.stick.StickDataType;
import io.berth.persist.stick.StickKeys;
import io.berth.persist.stick.StickTable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Tables, sections and table dumps for the peers tests. */
final class PeerFixtures {
    private PeerFixtures() {
    }

    /** A free TCP port on 127.0.0.1 (bound to 0, then closed): the peers of a section must know it up front. */
    static int freePort() throws IOException {
        return io.berth.testkit.BerthInstance.freePort();
    }

    static StickTable table(String name, StickTableSpec.KeyType type, int keySize, long expireMs, String... store) {
        List<StickTableSpec.StoreSpec> s = new ArrayList<>();
        for (String d : store) {
            int p = d.indexOf('(');
            s.add(p < 0 ? new StickTableSpec.StoreSpec(d, -1)
                    : new StickTableSpec.StoreSpec(d.substring(0, p), Long.parseLong(d.substring(p + 1, d.length() - 1))));
        }
        return new StickTable(new StickTableSpec(name, Location.NONE, type, keySize, 1024, expireMs, false, "p",
                StickTableSpec.ServerKeyType.NAME, s), Set.of());
    }

    static PeersSpec section(Map<String, Integer> peers) {
        List<PeersSpec.Peer> list = new ArrayList<>();
        peers.forEach((n, port) -> list.add(new PeersSpec.Peer(n, Location.NONE, "127.0.0.1", port)));
        return new PeersSpec("p", Location.NONE, list, false);
    }

    /** Every entry as {@code key type=value ...} in stored-type order, sorted by key. */
    static List<String> dump(StickTable t) {
        TreeMap<String, String> out = new TreeMap<>();
        t.forEach(StickClock.now(), (key, e, left) -> {
            StringBuilder sb = new StringBuilder(StickKeys.format(key, t.spec().type(), t.spec().keySize()));
            for (StickDataType d : t.layout().stored()) {
                long v = e.get(d);
                sb.append(' ').append(d.keyword()).append('=')
                        .append(d == StickDataType.SERVER_KEY ? ServerKeys.name((int) v) : Long.toString(v));
            }
            out.put(sb.substring(0, sb.indexOf(" ") < 0 ? sb.length() : sb.indexOf(" ")), sb.toString());
        });
        return new ArrayList<>(out.values());
    }

    /** Sets data types on an entry (creating it), as {@code set table} does. */
    static int[] put(StickTable t, int[] key, Object... typeValues) {
        t.update(key, StickClock.now(), true, true, e -> {
            for (int i = 0; i < typeValues.length; i += 2) {
                StickDataType d = StickDataType.byKeyword((String) typeValues[i]);
                Object v = typeValues[i + 1];
                e.set(d, v instanceof String s ? ServerKeys.intern(s) : ((Number) v).longValue());
            }
        });
        return key;
    }
}
