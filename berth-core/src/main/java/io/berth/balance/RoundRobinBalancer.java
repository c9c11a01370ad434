package io.berth.balance;

import io.berth.server.Server;
import io.berth.server.ServerGroup;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code balance roundrobin}: HAProxy's fast weighted round robin (src/lb_fwrr.c), ported with its variable
 * names so the sequence is the same request for request: weights a=3 b=2 c=1 give {@code a b a c a b} repeated,
 * equal weights {@code a b c}. Weight and state changes are applied incrementally, as HAProxy does, so the
 * sequence after a change matches too.
 *
 * <p>Each group (active, backup) has three ordered "trees": {@code curr} (servers placed by their next position
 * in the current window), {@code init} (servers waiting to enter, heaviest first) and {@code next} (servers pushed
 * to the next window). HAProxy's eb32 trees keep equal keys in insertion order; here a sequence number breaks
 * ties the same way.
 *
 * <p>Threads: {@link #pick} and the {@link ServerGroup#onChange} callback mutate the trees inside one short
 * {@code synchronized} section, as HAProxy holds its lbprm write lock around {@code fwrr_get_next_server}.
 */
final class RoundRobinBalancer implements Balancer {
    private static final int SRV_EWGHT_MAX = 4096;
    private static final int SRV_UWGHT_RANGE = 256;

    private static final Comparator<Node> ORDER =
            Comparator.<Node>comparingLong(n -> n.key).thenComparingLong(n -> n.seq);

    /** The per-server fields HAProxy keeps in struct server for fwrr. */
    private static final class Node {
        final Server srv;
        int curEweight;
        int nextEweight;
        boolean curUsable;
        boolean nextUsable;
        int npos;
        int lpos;
        int rweight;
        long key;
        long seq;
        TreeSet<Node> lbTree; // HAProxy's lb_tree tag: which tree the server belongs to
        TreeSet<Node> in;     // the tree it is physically in right now, or null

        Node(Server srv) {
            this.srv = srv;
        }
    }

    private static final class Group {
        final TreeSet<Node> curr = new TreeSet<>(ORDER);
        TreeSet<Node> init = new TreeSet<>(ORDER);
        TreeSet<Node> next = new TreeSet<>(ORDER);
        int currPos;
        int currWeight;
        int nextWeight;
    }

    private final boolean allBackups;
    private final Node[] nodes;
    private final Group act = new Group();
    private final Group bck = new Group();
    private int srvAct;
    private int srvBck;
    private Node fbck;
    private long seqCounter;

    RoundRobinBalancer(ServerGroup group, boolean allBackups) {
        this.allBackups = allBackups;
        List<Server> all = group.all();
        nodes = new Node[all.size()];
        int totWact = 0;
        int totWbck = 0;
        // fwrr_init_server_groups
        for (int i = 0; i < nodes.length; i++) {
            Node n = new Node(all.get(i));
            nodes[i] = n;
            readNext(n);
            commit(n);
            if (n.curUsable) {
                if (n.srv.isBackup()) {
                    if (srvBck == 0 && !allBackups) {
                        fbck = n;
                    }
                    srvBck++;
                    totWbck += n.curEweight;
                } else {
                    srvAct++;
                    totWact += n.curEweight;
                }
            }
        }
        act.currPos = act.currWeight = act.nextWeight = totWact;
        bck.currPos = bck.currWeight = bck.nextWeight = totWbck;
        for (Node n : nodes) {
            if (n.curUsable) {
                queueByWeight(groupOf(n).init, n);
            }
        }
        group.onChange(this::serversChanged);
    }

    @Override
    public synchronized Server pick(BalanceRequest request, Predicate<Server> exclude) {
        Group grp;
        if (srvAct > 0) {
            grp = act;
        } else if (fbck != null) {
            return fbck.srv;
        } else if (srvBck > 0) {
            grp = bck;
        } else {
            return null;
        }
        boolean switched = false;
        Node avoided = null;
        Deque<Node> full = new ArrayDeque<>(); // LIFO like HAProxy's next_full chain
        Node srv;
        while (true) {
            if (grp.currWeight == 0) {
                grp.currPos = grp.currWeight = grp.nextWeight;
            }
            while (true) {
                srv = getServerFromGroup(grp);
                if (srv != null) {
                    break;
                }
                if (switched) {
                    srv = avoided; // may be null: every server is saturated
                    return finish(grp, srv, full, switched);
                }
                switched = true;
                switchTrees(grp);
            }
            updatePosition(grp, srv);
            dequeue(srv);
            grp.currPos++;
            if (srv.srv.hasFreeSlot()) {
                if (!exclude.test(srv.srv)) {
                    break;
                }
                if (avoided == null) {
                    avoided = srv;
                }
            }
            full.push(srv);
        }
        return finish(grp, srv, full, switched);
    }

    private Server finish(Group grp, Node srv, Deque<Node> full, boolean switched) {
        if (srv != null) {
            queueSrv(srv);
        }
        for (Node n : full) {
            if (n == srv) {
                continue;
            }
            if (switched) {
                queueByWeight(grp.init, n);
            } else {
                queueSrv(n);
            }
        }
        return srv == null ? null : srv.srv;
    }

    /** onChange: applies each server's state/weight change as HAProxy's set_server_status_up/down/update_weight. */
    private synchronized void serversChanged() {
        for (Node n : nodes) {
            readNext(n);
            if (n.curUsable == n.nextUsable && (!n.curUsable || n.curEweight == n.nextEweight)) {
                commit(n);
            } else if (!n.curUsable) {
                statusUp(n);
            } else if (!n.nextUsable) {
                statusDown(n);
            } else {
                updateWeight(n);
            }
        }
    }

    private void statusDown(Node srv) {
        Group grp = groupOf(srv);
        grp.nextWeight -= srv.curEweight;
        if (srv.srv.isBackup()) {
            srvBck--;
            if (srv == fbck) {
                Node f = null;
                for (int i = srv.srv.position() + 1; i < nodes.length; i++) {
                    if (nodes[i].srv.isBackup() && nodes[i].nextUsable) {
                        f = nodes[i];
                        break;
                    }
                }
                fbck = f;
            }
        } else {
            srvAct--;
        }
        dequeue(srv);
        srv.lbTree = null;
        commit(srv);
    }

    private void statusUp(Node srv) {
        Group grp = groupOf(srv);
        grp.nextWeight += srv.nextEweight;
        if (srv.srv.isBackup()) {
            srvBck++;
            if (!allBackups && (fbck == null || srv.srv.position() < fbck.srv.position())) {
                fbck = srv;
            }
        } else {
            srvAct++;
        }
        getSrv(srv);
        srv.npos = grp.currPos + (grp.nextWeight + grp.currWeight - grp.currPos) / srv.nextEweight;
        queueSrv(srv);
        commit(srv);
    }

    private void updateWeight(Node srv) {
        Group grp = groupOf(srv);
        grp.nextWeight = grp.nextWeight - srv.curEweight + srv.nextEweight;
        if (srv.lbTree == grp.init) {
            dequeue(srv);
            queueByWeight(grp.init, srv);
        } else if (srv.lbTree == null) {
            dequeue(srv);
            getSrv(srv);
            srv.npos = grp.currPos + (grp.nextWeight + grp.currWeight - grp.currPos) / srv.nextEweight;
            queueSrv(srv);
        } else {
            getSrv(srv);
            int prevNext = srv.npos;
            int step = grp.nextWeight / srv.nextEweight;
            srv.npos = srv.lpos + step;
            srv.rweight = 0;
            if (srv.npos > prevNext) {
                srv.npos = prevNext;
            }
            if (srv.npos < grp.currPos + 2) {
                srv.npos = grp.currPos + step;
            }
            dequeue(srv);
            queueSrv(srv);
        }
        commit(srv);
    }

    private Group groupOf(Node n) {
        return n.srv.isBackup() ? bck : act;
    }

    private static void readNext(Node n) {
        n.nextUsable = n.srv.isUsable();
        n.nextEweight = n.srv.weight() * n.srv.rampSixteenths();
    }

    private static void commit(Node n) {
        n.curUsable = n.nextUsable;
        n.curEweight = n.nextEweight;
    }

    private void insert(TreeSet<Node> tree, Node n, long key) {
        dequeue(n); // the key is part of the ordering: never change it while the node is in a tree
        n.key = key;
        n.seq = seqCounter++;
        tree.add(n);
        n.in = tree;
    }

    private static void dequeue(Node n) {
        if (n.in != null) {
            n.in.remove(n);
            n.in = null;
        }
    }

    /** Heaviest first: key = SRV_EWGHT_MAX - eweight. */
    private void queueByWeight(TreeSet<Node> root, Node s) {
        insert(root, s, SRV_EWGHT_MAX - s.nextEweight);
        s.lbTree = root;
    }

    /** fwrr_queue_srv: into {@code curr} at its next position, or into {@code next} when past the window. */
    private void queueSrv(Node s) {
        Group grp = groupOf(s);
        if (!s.nextUsable) {
            s.lbTree = null;
        } else if (s.nextEweight <= 0 || s.npos >= 2 * grp.currWeight
                || s.npos >= grp.currWeight + grp.nextWeight) {
            s.npos -= grp.currWeight;
            queueByWeight(grp.next, s);
        } else {
            insert(grp.curr, s, (long) SRV_UWGHT_RANGE * s.npos
                    + (SRV_EWGHT_MAX + s.rweight - s.nextEweight) / ServerWeights.SCALE);
            s.lbTree = grp.curr;
        }
    }

    private void getSrv(Node s) {
        Group grp = groupOf(s);
        if (s.lbTree == grp.init) {
            s.npos = 0;
            s.rweight = 0;
        } else if (s.lbTree == grp.next) {
            s.npos += grp.currWeight;
        } else if (s.lbTree == null) {
            s.npos = grp.currPos;
        }
    }

    private static void switchTrees(Group grp) {
        TreeSet<Node> swap = grp.init;
        grp.init = grp.next;
        grp.next = swap;
        grp.currWeight = grp.nextWeight;
        grp.currPos = grp.currWeight;
    }

    private static Node getServerFromGroup(Group grp) {
        Node s1 = grp.curr.isEmpty() ? null : grp.curr.first();
        if (s1 != null && s1.curEweight != 0 && s1.npos <= grp.currPos) {
            return s1;
        }
        Node s2 = grp.init.isEmpty() ? null : grp.init.first();
        if (s2 != null && s2.curEweight != 0) {
            s2.npos = 0;
            s2.rweight = 0;
            return s2;
        }
        return s1;
    }

    private static void updatePosition(Group grp, Node s) {
        int eweight = s.curEweight;
        if (eweight == 0) {
            return;
        }
        if (s.npos == 0) {
            s.npos = grp.currPos;
        }
        s.lpos = s.npos;
        s.npos += grp.nextWeight / eweight;
        s.rweight += grp.nextWeight % eweight;
        if (s.rweight >= eweight) {
            s.rweight -= eweight;
            s.npos++;
        }
    }
}
