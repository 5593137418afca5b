package io.tcpgateway.connection;

/** Who is told when a peer stops being open: the registry, which counts, logs and remembers closes. */
interface ClosingPeers {

    /**
     * {@code peer} has a close reason now and has left its listener's open peers.
     *
     * @param wasOpen whether it was an open (admitted) peer until now; false for one refused at admission,
     *     or one whose close was decided before its admission was done
     */
    void closing(Peer peer, boolean wasOpen);
}
