package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminCall.OnConnection;
import io.tcpgateway.admin.AdminCall.OnEveryPod;
import java.util.List;

/**
 * Admin calls that reach other pods (present only when {@code gateway.cluster.enabled}): a call on a
 * connection that lives on another pod, and a call every pod answers (a broadcast, a principal's).
 */
public interface RemoteAdmin {

    /** This pod's node id: connection ids ending in it are handled here. */
    String nodeId();

    /**
     * Runs a connection call on the pod that holds the connection: what that pod answered, or
     * {@link AdminResult.NotFound} (no such pod), {@link AdminResult.TimedOut} or
     * {@link AdminResult.Unavailable} (the cluster cannot be reached).
     */
    AdminResult forward(String node, OnConnection call);

    /**
     * Runs a call on every other pod; the answers that came back within the request timeout, one per pod
     * that took it (none when the cluster cannot be reached).
     */
    List<AdminResult> askOthers(OnEveryPod call);
}
