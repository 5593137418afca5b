package io.tcpgateway.admin;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.ClosedPeer;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/connections}: list (open or recently closed), look up, kick, and send one frame.
 * Sending goes through the peer's outbound queue, so a call never waits on a slow peer.
 */
@Component
@Endpoint(id = "connections")
public class ConnectionsEndpoint {

    private final PeerRegistry registry;
    private final ListenerRegistrar listeners;

    public ConnectionsEndpoint(PeerRegistry registry, ListenerRegistrar listeners) {
        this.registry = registry;
        this.listeners = listeners;
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
        Optional<Peer> open = registry.find(id);
        if (open.isPresent()) {
            return new WebEndpointResponse<>(ConnectionDescriptor.of(open.get()));
        }
        return registry.closed().stream().filter((peer) -> peer.id().equals(id)).findFirst()
                .<WebEndpointResponse<Object>>map((closed) -> new WebEndpointResponse<>(ConnectionDescriptor.of(closed)))
                .orElseGet(() -> unknown(id));
    }

    /** Closes the connection (reason {@code kicked}). */
    @DeleteOperation
    public WebEndpointResponse<Object> kick(@Selector String id) {
        Optional<Peer> peer = registry.find(id);
        if (peer.isEmpty()) {
            return unknown(id);
        }
        peer.get().close(CloseReason.KICKED);
        return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
    }

    /** Sends {@code message} to the connection as one frame. */
    @WriteOperation
    public WebEndpointResponse<Object> send(@Selector String id, @Nullable String message) {
        if (message == null) {
            return ApiErrors.badRequest("the JSON body must have a \"message\"");
        }
        Optional<Peer> peer = registry.find(id);
        if (peer.isEmpty()) {
            return unknown(id);
        }
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        String problem = peer.get().listener().codec().cannotCarry(payload);
        if (problem != null) {
            return ApiErrors.badRequest("message cannot be sent to " + id + ": " + problem);
        }
        if (!peer.get().sendPayload(payload)) {
            return ApiErrors.notFound("connection '" + id + "' is closing");
        }
        return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
    }

    private WebEndpointResponse<Object> unknown(String id) {
        return ApiErrors.notFound("no connection '" + id + "'");
    }

    private List<String> listenerNames() {
        return listeners.listeners().stream().map((listener) -> listener.name()).toList();
    }

    /** {@code {"total":N,"connections":[...]}}: total counts every match, not just this page. */
    public record ConnectionPage(int total, List<ConnectionDescriptor> connections) {
    }
}
