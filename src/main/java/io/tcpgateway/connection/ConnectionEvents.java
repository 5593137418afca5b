package io.tcpgateway.connection;

/**
 * Told of the moments in a connection's life that systems outside may record (Kafka's events topic): it was
 * admitted, it logged in, it closed. Called on the thread where the moment happens (a reader, the heartbeat, an
 * admin call), so an implementation must hand its work off rather than wait.
 */
public interface ConnectionEvents {

    /** {@code peer} was admitted: it is open (and logged in already when a client certificate named it). */
    void connected(Peer peer);

    /** {@code peer} completed its login: {@code OK} was sent, or its client certificate named it. */
    void authenticated(Peer peer);

    /** {@code peer}, once connected, was closed: it has its close reason. */
    void closed(Peer peer);
}
