package io.tcpgateway.admin;

import java.util.List;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Admin calls that reach other pods (present only when {@code gateway.cluster.enabled}): a call on a
 * connection that lives on another pod, and a broadcast to every pod.
 */
public interface RemoteAdmin {

    /** This pod's node id: connection ids ending in it are handled here. */
    String nodeId();

    /** Runs a connection call on the pod that holds the connection and answers what that pod answered. */
    WebEndpointResponse<Object> forward(String node, AdminCall call);

    /**
     * Runs a broadcast on every other pod; the answers that came back within the request timeout, one
     * per pod that took it.
     */
    List<LocalAdmin.Delivered> broadcastToOthers(AdminCall call);
}
