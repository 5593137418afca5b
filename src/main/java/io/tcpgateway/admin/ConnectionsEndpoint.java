package io.tcpgateway.admin;

import io.tcpgateway.connection.ConnectionIds;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/connections}: list (open or recently closed), look up, kick, and send one frame.
 * Sending goes through the peer's outbound queue, so a call never waits on a slow peer. In a cluster,
 * a call on a connection of another pod (its id ends in that pod's node id) is run by that pod; the
 * list shows this pod's connections.
 */
@Component
@Endpoint(id = "connections")
public class ConnectionsEndpoint {

    private final PeerRegistry registry;
    private final ListenerRegistrar listeners;
    private final LocalAdmin local;
    private final ObjectProvider<RemoteAdmin> remote;

    public ConnectionsEndpoint(PeerRegistry registry, ListenerRegistrar listeners, LocalAdmin local,
            ObjectProvider<RemoteAdmin> remote) {
        this.registry = registry;
        this.listeners = listeners;
        this.local = local;
        this.remote = remote;
    }

    /** Newest first; {@code state=closed} lists the closed history with {@code closedAt} and {@code reason}. */
    @ReadOperation
    public WebEndpointResponse<Object> list(@Nullable String listener, @Nullable Integer limit,
            @Nullable Integer offset, @Nullable String state) {
        int pageSize = (limit != null) ? limit : 100;
        int skip = (offset != null) ? offset : 0;
        if (pageSize < 0 || skip < 0) {
            return ApiErrors.badRequest("limit and offset must not be negative");
        }
        if (listener != null && listeners.listener(listener) == null) {
            return ApiErrors.badRequest("unknown listener '" + listener + "'; known: " + listenerNames());
        }
        List<ConnectionDescriptor> matching;
        if (state == null || state.equals("open")) {
            matching = registry.all().stream()
                    .filter((peer) -> listener == null || peer.listener().name().equals(listener))
                    .sorted(Comparator.comparingLong(Peer::sequence).reversed())
                    .map(ConnectionDescriptor::of).toList();
        }
        else if (state.equals("closed")) {
            matching = registry.closed().stream() // the history is newest first already
                    .filter((peer) -> listener == null || peer.listener().equals(listener))
                    .map(ConnectionDescriptor::of).toList();
        }
        else {
            return ApiErrors.badRequest("state must be open or closed, not '" + state + "'");
        }
        List<ConnectionDescriptor> page = matching.stream().skip(skip).limit(pageSize).toList();
        return new WebEndpointResponse<>(new ConnectionPage(matching.size(), page));
    }

    /** An open connection, or a recently closed one (with its reason); 404 when unknown. */
    @ReadOperation
    public WebEndpointResponse<Object> connection(@Selector String id) {
        return route(AdminCall.get(id));
    }

    /** Closes the connection (reason {@code kicked}). */
    @DeleteOperation
    public WebEndpointResponse<Object> kick(@Selector String id) {
        return route(AdminCall.kick(id));
    }

    /** Sends {@code message} to the connection as one frame. */
    @WriteOperation
    public WebEndpointResponse<Object> send(@Selector String id, @Nullable String message) {
        if (message == null) {
            return ApiErrors.badRequest("the JSON body must have a \"message\"");
        }
        return route(AdminCall.send(id, message));
    }

    /** Here when the id names no node or this one; otherwise on the pod it names (in a cluster). */
    private WebEndpointResponse<Object> route(AdminCall call) {
        String node = ConnectionIds.nodeOf(java.util.Objects.requireNonNull(call.id()));
        RemoteAdmin cluster = remote.getIfAvailable();
        if (node == null || cluster == null || node.equals(cluster.nodeId())) {
            return local.execute(call);
        }
        return cluster.forward(node, call);
    }

    private List<String> listenerNames() {
        return local.listenerNames();
    }

    /** {@code {"total":N,"connections":[...]}}: total counts every match, not just this page. */
    public record ConnectionPage(int total, List<ConnectionDescriptor> connections) {
    }
}
