package io.tcpgateway.admin;

import org.jspecify.annotations.Nullable;

/**
 * One admin operation, as an endpoint asks it and as it travels to another pod: on one connection
 * ({@link OnConnection}, run by the pod that holds it) or on every pod ({@link OnEveryPod}: a broadcast,
 * the calls on a principal).
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

    /** Close it with reason {@code replaced}: a newer connection of its principal logged in on another pod. */
    record Replace(String id) implements OnConnection {
    }

    /** Send it {@code message} as one frame. */
    record Send(String id, String message) implements OnConnection {
    }

    /** A call every pod runs on its own connections; the asking pod adds up the answers. */
    sealed interface OnEveryPod extends AdminCall {
    }

    /** One frame to every open connection of {@code listener}, or of all listeners when null. */
    record Broadcast(String message, @Nullable String listener) implements OnEveryPod {
    }

    /** The open connections of a principal: a {@link AdminResult.Page}. */
    record PrincipalConnections(String principal) implements OnEveryPod {
    }

    /** One frame to each logged-in connection of a principal (on {@code listener} when given): {@link AdminResult.Delivered}. */
    record SendToPrincipal(String principal, String message, @Nullable String listener) implements OnEveryPod {
    }

    /** Close every connection of a principal (reason {@code kicked}): {@link AdminResult.Counted}. */
    record KickPrincipal(String principal) implements OnEveryPod {
    }

    /** Messages were just queued for a principal: a connection that logged in meanwhile takes them. */
    record FlushPrincipal(String principal) implements OnEveryPod {
    }
}
