package io.berth.balance;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable picture of which servers of a backend can take load-balanced traffic right now, with their
 * effective weights: HAProxy's {@code recount_servers()} + {@code update_backend_weight()} (src/backend.c).
 * Built on the thread that changed a server (the {@link ServerGroup#onChange} callback), read by every event loop.
 *
 * <p>Which servers serve: the usable active ones if any; else, without {@code option allbackups}, only the first
 * usable backup in declaration order ({@link #firstBackup}); else all usable backups.
 *
 * @param all          every server, declaration order
 * @param eweights     effective weight of each server by position (0 when not usable)
 * @param active       usable active servers, declaration order
 * @param backups      usable backup servers, declaration order
 * @param firstBackup  HAProxy's {@code fbck}: the first usable backup when {@code allbackups} is off, else null
 * @param totalWeight  {@code tot_weight}: sum of the serving set's eweights (fbck's alone when it serves)
 * @param totalUsed    {@code tot_used}: number of servers in the serving set
 */
record UsableServers(List<Server> all, int[] eweights, List<Server> active, List<Server> backups,
                     Server firstBackup, int totalWeight, int totalUsed) {

    static UsableServers of(ServerGroup group, ServerWeights weights, boolean allBackups) {
        List<Server> all = group.all();
        int[] ew = new int[all.size()];
        List<Server> act = new ArrayList<>();
        List<Server> bck = new ArrayList<>();
        Server fbck = null;
        int totAct = 0;
        int totBck = 0;
        for (Server s : all) {
            if (!s.isUsable()) {
                continue;
            }
            int w = weights.effective(s.weight(), s.rampSixteenths());
            if (w <= 0) {
                continue;
            }
            ew[s.position()] = w;
            if (s.isBackup()) {
                if (bck.isEmpty() && !allBackups) {
                    fbck = s;
                }
                bck.add(s);
                totBck += w;
            } else {
                act.add(s);
                totAct += w;
            }
        }
        int totWeight;
        int totUsed;
        if (!act.isEmpty()) {
            totWeight = totAct;
            totUsed = act.size();
        } else if (fbck != null) {
            totWeight = ew[fbck.position()];
            totUsed = 1;
        } else {
            totWeight = totBck;
            totUsed = bck.size();
        }
        return new UsableServers(all, ew, List.copyOf(act), List.copyOf(bck), fbck, totWeight, totUsed);
    }

    /** The group a lookup walks: the active servers, or the backups when none is active (and no fbck). */
    List<Server> servingGroup() {
        return active.isEmpty() ? backups : active;
    }

    boolean servesBackups() {
        return active.isEmpty();
    }

    int eweight(Server s) {
        return eweights[s.position()];
    }
}
