package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminCall.Get;
import io.tcpgateway.admin.AdminCall.Kick;
import io.tcpgateway.admin.AdminCall.OnConnection;
import io.tcpgateway.admin.AdminCall.Send;
import io.tcpgateway.connection.ConnectionIds;
import java.util.Objects;
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

    private final LocalAdmin local;
    private final ObjectProvider<RemoteAdmin> remote;

    public ConnectionsEndpoint(LocalAdmin local, ObjectProvider<RemoteAdmin> remote) {
        this.local = local;
        this.remote = remote;
    }

    /**
     * {@code {"total":N,"connections":[...]}}, newest first; {@code state=closed} lists the closed
     * history with {@code closedAt} and {@code reason}; {@code listener}, {@code principal} and
     * {@code remoteAddress} filter.
     */
    @ReadOperation
    public WebEndpointResponse<Object> list(@Nullable String listener, @Nullable Integer limit,
            @Nullable Integer offset, @Nullable String state, @Nullable String principal, @Nullable String remoteAddress) {
        if (state != null && !state.equals("open") && !state.equals("closed")) {
            return AdminResponses.of(new AdminResult.BadRequest("state must be open or closed, not '" + state + "'"));
        }
        return AdminResponses.of(local.list(new ConnectionFilter(listener, principal, remoteAddress), "closed".equals(state),
                Objects.requireNonNullElse(limit, 100),
                Objects.requireNonNullElse(offset, 0)));
    }

    /** An open connection, or a recently closed one (with its reason); 404 when unknown. */
    @ReadOperation
    public WebEndpointResponse<Object> connection(@Selector String id) {
        return AdminResponses.of(route(new Get(id)));
    }

    /** Closes the connection (reason {@code kicked}). */
    @DeleteOperation
    public WebEndpointResponse<Object> kick(@Selector String id) {
        return AdminResponses.of(route(new Kick(id)));
    }

    /** Sends {@code message} to the connection as one frame. */
    @WriteOperation
    public WebEndpointResponse<Object> send(@Selector String id, @Nullable String message) {
        if (message == null) {
            return AdminResponses.of(AdminResult.missingMessage());
        }
        return AdminResponses.of(route(new Send(id, message)));
    }

    /** Here when the id names no node or this one; otherwise on the pod it names (in a cluster). */
    private AdminResult route(OnConnection call) {
        String node = ConnectionIds.nodeOf(call.id());
        RemoteAdmin cluster = remote.getIfAvailable();
        if (node == null || cluster == null || node.equals(cluster.nodeId())) {
            return local.execute(call);
        }
        return cluster.forward(node, call);
    }
}
