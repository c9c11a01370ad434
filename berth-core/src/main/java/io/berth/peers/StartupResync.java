package io.berth.peers;

import io.berth.peers.wire.Control;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether this process's tables are "up to date", and the startup resync that makes them so (src/peers.c
 * {@code process_peer_sync}, reference §6.7): a process with remote peers starts not up to date; after a reload by
 * process replacement it first waits up to 5 s for the old process to teach it through the local peer; then it
 * sends {@code 00 00} to one established remote, waits up to 5 s for {@code 00 01} (done) or {@code 00 02}
 * (partial: ask another one), and declares itself up to date when the answers or the time run out. Only an
 * up-to-date process answers a resync with {@code 00 01} or hands its tables over on reload. Owned by a
 * {@link PeerSection}; its event loop only ({@link #upToDate()} may be read from anywhere).
 */
final class StartupResync {
    private final boolean expectLocalTeach;
    private final long started;
    private final Set<String> tried = new HashSet<>();
    private volatile boolean upToDate;
    private volatile boolean localTeachDone;
    private PeerSession source;
    private long deadline;

    StartupResync(boolean hasRemotes, boolean expectLocalTeach, long now) {
        this.expectLocalTeach = expectLocalTeach;
        this.started = now;
        this.upToDate = !hasRemotes && !expectLocalTeach;
    }

    boolean upToDate() {
        return upToDate;
    }

    /** True while a new process still waits for the old one's hand-over (any thread). */
    boolean waitingForLocal(long now) {
        return expectLocalTeach && !localTeachDone && now - started < PeerSection.RESYNC_TIMEOUT_MS;
    }

    /** A remote session is established: ask it, if we need a resync and nobody is being asked. */
    void sessionUp(PeerSession s, long now) {
        if (!upToDate && !waitingForLocal(now) && source == null && !tried.contains(s.remote().name)) {
            request(s, now);
        }
    }

    private void request(PeerSession s, long now) {
        source = s;
        deadline = now + PeerSection.RESYNC_TIMEOUT_MS;
        tried.add(s.remote().name);
        s.sendControl(Control.RESYNC_REQUEST);
    }

    /** {@code s} finished teaching us: {@code complete} for {@code 00 01}, false for {@code 00 02}. */
    void ended(PeerSession s, boolean complete, Collection<PeerSection.RemotePeer> remotes, long now) {
        if (s.remote().local) {
            // taught by the old process of a reload: complete means as good as the old process was
            localTeachDone = true;
            upToDate |= complete;
            return;
        }
        if (s != source) {
            return;
        }
        source = null;
        if (complete || !askAnother(remotes, now)) {
            upToDate = true;
        }
    }

    private boolean askAnother(Collection<PeerSection.RemotePeer> remotes, long now) {
        for (PeerSection.RemotePeer r : remotes) {
            if (r.session != null && r.session.established() && !tried.contains(r.name)) {
                request(r.session, now);
                return true;
            }
        }
        return false;
    }

    void down(PeerSession s) {
        if (s == source) {
            source = null;
        }
    }

    /** Timeouts: an attempt unanswered for 5 s, or 5 s without anybody to ask, end the resync. */
    void tick(Collection<PeerSection.RemotePeer> remotes, long now) {
        if (upToDate || waitingForLocal(now)) {
            return;
        }
        if (source != null) {
            if (now >= deadline) {
                source = null;
                upToDate = true;
            }
        } else if (!askAnother(remotes, now) && now - started >= PeerSection.RESYNC_TIMEOUT_MS) {
            upToDate = true;
        }
    }
}
