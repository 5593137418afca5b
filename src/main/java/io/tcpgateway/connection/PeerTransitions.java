package io.tcpgateway.connection;

/** Who is told when a peer logs in or stops being open: the registry, which counts, logs and remembers closes. */
interface PeerTransitions {

    /** {@code peer} completed its login ({@link Peer#completeLogin()}): it is an ordinary peer of its principal now. */
    void loggedIn(Peer peer);

    /**
     * {@code peer} has a close reason now and has left its listener's open peers.
     *
     * @param wasOpen whether it was an open (admitted) peer until now; false for one refused at admission,
     *     or one whose close was decided before its admission was done
     */
    void closing(Peer peer, boolean wasOpen);
}
