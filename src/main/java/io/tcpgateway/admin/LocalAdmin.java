package io.tcpgateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * The admin operations on this pod's own connections: what an endpoint runs for a connection that
 * lives here, and what this pod runs when another pod forwards a call to it. Answers are the HTTP
 * answers of CONTRACT section 6 (status and JSON body).
 */
@Component
public class LocalAdmin {

    private final PeerRegistry registry;
    private final ListenerRegistrar listeners;

    public LocalAdmin(PeerRegistry registry, ListenerRegistrar listeners) {
        this.registry = registry;
        this.listeners = listeners;
    }

    public WebEndpointResponse<Object> execute(AdminCall call) {
        String id = Objects.requireNonNullElse(call.id(), "");
        return switch (call.operation()) {
            case GET -> get(id);
            case KICK -> kick(id);
            case SEND -> send(id, Objects.requireNonNullElse(call.message(), ""));
            case BROADCAST -> broadcast(Objects.requireNonNullElse(call.message(), ""), call.listener());
        };
    }

    /** An open connection, or a recently closed one (with its reason); 404 when unknown. */
    WebEndpointResponse<Object> get(String id) {
        Optional<Peer> open = registry.find(id);
        if (open.isPresent()) {
            return new WebEndpointResponse<>(ConnectionDescriptor.of(open.get()));
        }
        return registry.closed().stream().filter((peer) -> peer.id().equals(id)).findFirst()
                .<WebEndpointResponse<Object>>map((closed) -> new WebEndpointResponse<>(ConnectionDescriptor.of(closed)))
                .orElseGet(() -> unknown(id));
    }

    WebEndpointResponse<Object> kick(String id) {
        Optional<Peer> peer = registry.find(id);
        if (peer.isEmpty()) {
            return unknown(id);
        }
        peer.get().closeSaying(CloseReason.KICKED);
        return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
    }

    WebEndpointResponse<Object> send(String id, String message) {
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

    /** One frame to every open connection of one listener, or of all; 400 when it cannot be sent. */
    WebEndpointResponse<Object> broadcast(String message, @Nullable String listener) {
        List<GatewayListener> targets;
        if (listener == null) {
            targets = listeners.listeners();
        }
        else if (listeners.listener(listener) != null) {
            targets = List.of(listeners.listener(listener));
        }
        else {
            return ApiErrors.badRequest("unknown listener '" + listener + "'; known: " + listenerNames());
        }
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        for (GatewayListener target : targets) {
            String problem = target.codec().cannotCarry(payload);
            if (problem != null) {
                return ApiErrors.badRequest("message cannot be sent on listener " + target.name() + ": " + problem);
            }
        }
        int delivered = 0;
        for (GatewayListener target : targets) {
            delivered += target.deliverToAll(target.codec().encode(payload));
        }
        return new WebEndpointResponse<>(new Delivered(delivered, null));
    }

    List<String> listenerNames() {
        return listeners.listeners().stream().map(GatewayListener::name).toList();
    }

    static WebEndpointResponse<Object> unknown(String id) {
        return ApiErrors.notFound("no connection '" + id + "'");
    }

    /**
     * {@code {"delivered":N}}, plus {@code "nodes"} (how many pods took it) in a cluster.
     *
     * @param delivered the connections the frame was queued to
     * @param nodes the pods that took it; null (left out) on a single pod
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivered(int delivered, @Nullable Integer nodes) {
    }
}
