package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminCall.Broadcast;
import io.tcpgateway.admin.AdminResult.Delivered;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

/**
 * {@code POST /actuator/broadcast}: one frame to every open connection of one listener, or of all.
 * The frame is encoded once per listener and queued to each peer; the answer counts the peers it was
 * queued to. In a cluster every other pod does the same and the answer adds {@code "nodes"}: the pods
 * that took it within the request timeout, this one included.
 */
@Component
@Endpoint(id = "broadcast")
public class BroadcastEndpoint {

    private final LocalAdmin local;
    private final ObjectProvider<RemoteAdmin> remote;

    public BroadcastEndpoint(LocalAdmin local, ObjectProvider<RemoteAdmin> remote) {
        this.local = local;
        this.remote = remote;
    }

    @WriteOperation
    public WebEndpointResponse<Object> broadcast(@Nullable String message, @Nullable String listener) {
        if (message == null) {
            return AdminResponses.of(AdminResult.missingMessage());
        }
        return AdminResponses.of(everywhere(new Broadcast(message, listener)));
    }

    private AdminResult everywhere(Broadcast call) {
        AdminResult here = local.execute(call);
        RemoteAdmin cluster = remote.getIfAvailable();
        if (cluster == null || !(here instanceof Delivered delivered)) {
            return here; // a single pod, or refused before anything was sent
        }
        List<Delivered> others = cluster.askOthers(call).stream()
                .filter(Delivered.class::isInstance).map(Delivered.class::cast).toList();
        int total = delivered.delivered() + others.stream().mapToInt(Delivered::delivered).sum();
        return new Delivered(total, 1 + others.size());
    }
}
