package io.tcpgateway.admin;

import io.tcpgateway.connection.Peer;
import io.tcpgateway.listener.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/broadcast}: one frame to every open connection of one listener, or of all.
 * The frame is encoded once per listener and queued to each peer; the answer counts the peers it was
 * queued to.
 */
@Component
@Endpoint(id = "broadcast")
public class BroadcastEndpoint {

    private final ListenerRegistrar listeners;

    public BroadcastEndpoint(ListenerRegistrar listeners) {
        this.listeners = listeners;
    }

    @WriteOperation
    public WebEndpointResponse<Object> broadcast(@Nullable String message, @Nullable String listener) {
        if (message == null) {
            return ApiErrors.badRequest("the JSON body must have a \"message\"");
        }
        List<GatewayListener> targets;
        if (listener == null) {
            targets = listeners.listeners();
        }
        else if (listeners.listener(listener) != null) {
            targets = List.of(listeners.listener(listener));
        }
        else {
            return ApiErrors.badRequest("unknown listener '" + listener + "'; known: "
                    + listeners.listeners().stream().map(GatewayListener::name).toList());
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
            byte[] wire = target.codec().encode(payload);
            for (Peer peer : target.peers()) {
                delivered += peer.send(wire) ? 1 : 0;
            }
        }
        return new WebEndpointResponse<>(new Delivered(delivered));
    }

    public record Delivered(int delivered) {
    }
}
