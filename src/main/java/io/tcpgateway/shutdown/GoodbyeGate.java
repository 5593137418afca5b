package io.tcpgateway.shutdown;

import io.tcpgateway.connection.Peer;

/**
 * What must be done before a connection is told goodbye on shutdown: the frames it sent that are still on
 * their way (to Kafka, CONTRACT section 15) are stored, and the client told so, within the drain timeout.
 */
public interface GoodbyeGate {

    /** Nothing to wait for. */
    GoodbyeGate NONE = new GoodbyeGate() {
        @Override
        public void hold(Peer peer) {
        }

        @Override
        public void awaitSettled(Peer peer, long deadlineNanos) {
        }
    };

    /** From the frame it is handling now on, nothing more the peer sends is taken further: its reader waits. */
    void hold(Peer peer);

    /** Waits, until {@code deadlineNanos} ({@link System#nanoTime()}) at most, for what the peer sent to be settled. */
    void awaitSettled(Peer peer, long deadlineNanos);
}
