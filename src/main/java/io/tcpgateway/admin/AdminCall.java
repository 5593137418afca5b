package io.tcpgateway.admin;

import org.jspecify.annotations.Nullable;

/**
 * One admin operation, as an endpoint asks it and as it travels to another pod: on one connection
 * ({@link OnConnection}) or a broadcast.
 */
public sealed interface AdminCall {

    /** A call on one connection: run by the pod the connection lives on. */
    sealed interface OnConnection extends AdminCall {

        String id();
    }

    /** The connection, open or recently closed. */
    record Get(String id) implements OnConnection {
    }

    /** Close it with reason {@code kicked}. */
    record Kick(String id) implements OnConnection {
    }

    /** Send it {@code message} as one frame. */
    record Send(String id, String message) implements OnConnection {
    }

    /** One frame to every open connection of {@code listener}, or of all listeners when null. */
    record Broadcast(String message, @Nullable String listener) implements AdminCall {
    }
}
