package io.tcpgateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an admin call came to, free of HTTP: the endpoints map it to a status and a body
 * ({@link AdminResponses}), and the cluster carries it between pods as it is. The refusals' texts
 * are written once, here.
 */
public sealed interface AdminResult {

    /** One connection, open or recently closed. */
    record Found(ConnectionDescriptor connection) implements AdminResult {
    }

    /**
     * One page of a connection list.
     *
     * @param total every match, not just this page
     * @param connections this page, newest first
     */
    record Page(int total, List<ConnectionDescriptor> connections) implements AdminResult {
    }

    /** Done, nothing to tell: a kick, or a frame queued to one connection. */
    record Done() implements AdminResult {
    }

    /**
     * A broadcast went out.
     *
     * @param delivered the connections the frame was queued to
     * @param nodes the pods that took it; null (left out) on a single pod
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delivered(int delivered, @Nullable Integer nodes) implements AdminResult {
    }

    /** How many connections a call on a principal closed, holds or reached on one pod. */
    record Counted(int count) implements AdminResult {
    }

    /**
     * {@code GET /actuator/principals/{principal}}: its open connections on every pod and what is queued for it.
     */
    record PrincipalFound(String principal, List<ConnectionDescriptor> connections, int queued) implements AdminResult {
    }

    /**
     * A message to a principal: delivered to {@code delivered} connections on every pod, or queued (202) when it
     * had none.
     */
    record Sent(int delivered, int queued) implements AdminResult {
    }

    /** A refusal: the call could not be carried out, and {@code detail} says why. */
    sealed interface Refused extends AdminResult {

        String detail();
    }

    /** The thing asked about does not exist (or no longer does). */
    record NotFound(String detail) implements Refused {
    }

    /** The call itself is wrong: a missing or unsendable message, an unknown listener, a bad parameter. */
    record BadRequest(String detail) implements Refused {
    }

    /** The call would go over a bound (a full queue), named in {@code detail}. */
    record Conflict(String detail) implements Refused {
    }

    /** The pod that would answer cannot be reached. */
    record Unavailable(String detail) implements Refused {
    }

    /** The pod that would answer did not answer in time. */
    record TimedOut(String detail) implements Refused {
    }

    static NotFound noConnection(String id) {
        return new NotFound("no connection '" + id + "'");
    }

    static BadRequest unknownListener(String name, List<String> known) {
        return new BadRequest("unknown listener '" + name + "'; known: " + known);
    }

    static BadRequest missingMessage() {
        return new BadRequest("the JSON body must have a \"message\"");
    }
}
