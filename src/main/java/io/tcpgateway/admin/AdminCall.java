package io.tcpgateway.admin;

import org.jspecify.annotations.Nullable;

/**
 * One admin operation as it can travel between pods: on a connection ({@code id}) or a broadcast.
 *
 * @param operation what to do
 * @param id the connection, for {@link Operation#GET}, {@link Operation#KICK} and {@link Operation#SEND}
 * @param message the frame's text, for {@link Operation#SEND} and {@link Operation#BROADCAST}
 * @param listener the listener a broadcast is limited to; null for all
 */
public record AdminCall(Operation operation, @Nullable String id, @Nullable String message, @Nullable String listener) {

    public enum Operation {
        GET, KICK, SEND, BROADCAST
    }

    static AdminCall get(String id) {
        return new AdminCall(Operation.GET, id, null, null);
    }

    static AdminCall kick(String id) {
        return new AdminCall(Operation.KICK, id, null, null);
    }

    static AdminCall send(String id, String message) {
        return new AdminCall(Operation.SEND, id, message, null);
    }

    static AdminCall broadcast(String message, @Nullable String listener) {
        return new AdminCall(Operation.BROADCAST, null, message, listener);
    }
}
