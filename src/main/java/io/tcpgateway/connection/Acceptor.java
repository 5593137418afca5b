package io.tcpgateway.connection;

/**
 * A listener's accepting side as the rest of the gateway sees it: the server connection factory,
 * which the listener package builds. Kept behind this seam so that the connection package, where a
 * listener's runtime state lives, depends on nothing that wires factories and flows.
 */
public interface Acceptor {

    /** Whether the server socket is bound and accepting. */
    boolean isListening();

    /** The port actually bound (differs from the configured one when that is 0). */
    int boundPort();

    /** Stops accepting new connections; open ones are untouched. */
    void stopAccepting();
}
