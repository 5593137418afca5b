package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminCall.FlushPrincipal;
import io.tcpgateway.admin.AdminCall.KickPrincipal;
import io.tcpgateway.admin.AdminCall.OnEveryPod;
import io.tcpgateway.admin.AdminCall.PrincipalConnections;
import io.tcpgateway.admin.AdminCall.SendToPrincipal;
import io.tcpgateway.admin.AdminResult.BadRequest;
import io.tcpgateway.admin.AdminResult.Counted;
import io.tcpgateway.admin.AdminResult.Delivered;
import io.tcpgateway.admin.AdminResult.Page;
import io.tcpgateway.auth.PrincipalRules;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.principal.PrincipalMetrics;
import io.tcpgateway.principal.PrincipalQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * The calls on a principal (CONTRACT section 14), free of HTTP: each pod answers for its own connections
 * ({@link LocalAdmin} here, the other pods through {@link RemoteAdmin}), the answers are added up, and the
 * offline queue is asked once, by the pod that took the call.
 */
@Component
public class PrincipalCalls {

    private final LocalAdmin local;
    private final ObjectProvider<RemoteAdmin> remote;
    private final PrincipalQueue queue;
    private final ListenerRegistrar listeners;
    private final Duration maxTtl;
    private final PrincipalMetrics metrics;

    public PrincipalCalls(LocalAdmin local, ObjectProvider<RemoteAdmin> remote, PrincipalQueue queue,
            ListenerRegistrar listeners, GatewayProperties properties, PrincipalMetrics metrics) {
        this.local = local;
        this.remote = remote;
        this.queue = queue;
        this.listeners = listeners;
        this.maxTtl = properties.principals().queue().maxTtl();
        this.metrics = metrics;
    }

    /** Its open connections on every pod and what is queued for it; not found when neither. */
    AdminResult get(String principal) {
        AdminResult bad = invalid(principal);
        if (bad != null) {
            return bad;
        }
        List<ConnectionDescriptor> connections = new ArrayList<>();
        for (AdminResult answer : everywhere(new PrincipalConnections(principal))) {
            if (answer instanceof Page page) {
                connections.addAll(page.connections());
            }
        }
        int queued;
        try {
            queued = queue.count(principal);
        }
        catch (PrincipalQueue.Unavailable away) {
            return new AdminResult.Unavailable("the queue of '" + principal + "' cannot be read: " + away.getMessage());
        }
        if (connections.isEmpty() && queued == 0) {
            return new AdminResult.NotFound("principal '" + principal + "' has no open connection and nothing queued");
        }
        return new AdminResult.PrincipalFound(principal, connections, queued);
    }

    /**
     * One frame to every logged-in connection of it on every pod (on {@code listener} when given); with no
     * connection and a {@code ttl}, queued; with neither, not found.
     */
    public AdminResult send(String principal, @Nullable String message, @Nullable String listener, @Nullable String ttl) {
        AdminResult bad = invalid(principal);
        if (bad != null) {
            return bad;
        }
        if (message == null) {
            return AdminResult.missingMessage();
        }
        List<GatewayListener> targets = new ArrayList<>();
        AdminResult refused = targets(listener, targets);
        if (refused == null) {
            refused = uncarried(message, targets);
        }
        Duration keepFor = null;
        if (refused == null && ttl != null) {
            try {
                keepFor = DurationStyle.detectAndParse(ttl);
            }
            catch (IllegalArgumentException notADuration) {
                refused = new BadRequest("ttl must be a duration such as PT1H or 10m, not '" + ttl + "'");
            }
            if (keepFor != null && (!keepFor.isPositive() || keepFor.compareTo(maxTtl) > 0)) {
                refused = new BadRequest("ttl " + keepFor + " must be greater than 0 and at most "
                        + "gateway.principals.queue.max-ttl (" + maxTtl + ")");
            }
        }
        if (refused != null) {
            return refused;
        }
        int delivered = 0;
        for (AdminResult answer : everywhere(new SendToPrincipal(principal, message, listener))) {
            delivered += (answer instanceof Delivered took) ? took.delivered() : 0;
        }
        if (delivered > 0) {
            return new AdminResult.Sent(delivered, 0);
        }
        if (keepFor == null) {
            return new AdminResult.NotFound("principal '" + principal + "' has no open connection"
                    + ((listener != null) ? " on listener '" + listener + "'" : "") + "; give a \"ttl\" to queue the message");
        }
        return enqueue(principal, Objects.requireNonNullElse(listener, PrincipalQueue.ANY_LISTENER), message, keepFor);
    }

    /** Closes every connection of it on every pod and drops its queue; not found when there was neither. */
    AdminResult kick(String principal) {
        AdminResult bad = invalid(principal);
        if (bad != null) {
            return bad;
        }
        int closed = 0;
        for (AdminResult answer : everywhere(new KickPrincipal(principal))) {
            closed += (answer instanceof Counted counted) ? counted.count() : 0;
        }
        int dropped;
        try {
            dropped = queue.drop(principal);
        }
        catch (PrincipalQueue.Unavailable away) {
            return new AdminResult.Unavailable(closed + " connection(s) of '" + principal + "' closed, but its queue could"
                    + " not be dropped: " + away.getMessage());
        }
        if (closed == 0 && dropped == 0) {
            return new AdminResult.NotFound("principal '" + principal + "' has no open connection and nothing queued");
        }
        return new AdminResult.Done();
    }

    private AdminResult enqueue(String principal, String listener, String message, Duration ttl) {
        String full;
        try {
            full = queue.offer(principal, listener, message, ttl);
        }
        catch (PrincipalQueue.Unavailable away) {
            return new AdminResult.Unavailable("the message could not be queued: " + away.getMessage());
        }
        if (full != null) {
            metrics.refused();
            return new AdminResult.Conflict(full);
        }
        metrics.queued();
        // A connection that logged in while this was being queued found the queue empty: it takes it now.
        everywhere(new FlushPrincipal(principal));
        return new AdminResult.Sent(0, 1);
    }

    /** This pod's answer and every other pod's. */
    private List<AdminResult> everywhere(OnEveryPod call) {
        List<AdminResult> answers = new ArrayList<>();
        answers.add(local.execute(call));
        RemoteAdmin cluster = remote.getIfAvailable();
        if (cluster != null) {
            answers.addAll(cluster.askOthers(call));
        }
        return answers;
    }

    /** The listeners a message to a principal may reach: the one named, or every one whose clients authenticate. */
    private @Nullable AdminResult targets(@Nullable String listener, List<GatewayListener> targets) {
        if (listener != null) {
            GatewayListener named = listeners.listener(listener);
            if (named == null) {
                return AdminResult.unknownListener(listener, listeners.listeners().stream().map(GatewayListener::name).toList());
            }
            if (!named.auth().authenticates()) {
                return new BadRequest("listener '" + listener + "' has auth: none, so none of its connections has a principal");
            }
            targets.add(named);
            return null;
        }
        listeners.listeners().stream().filter((l) -> l.auth().authenticates()).forEach(targets::add);
        return targets.isEmpty()
                ? new BadRequest("no listener authenticates its clients (auth: none on every one), so no connection has a principal")
                : null;
    }

    /** The message rules of section 6, on every listener it may reach. */
    private static @Nullable AdminResult uncarried(String message, List<GatewayListener> targets) {
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        for (GatewayListener target : targets) {
            String problem = target.codec().cannotCarry(payload);
            if (problem != null) {
                return new BadRequest("message cannot be sent on listener " + target.name() + ": " + problem);
            }
        }
        return null;
    }

    private static @Nullable AdminResult invalid(String principal) {
        String problem = PrincipalRules.problemWith(principal);
        return (problem == null && !principal.isEmpty()) ? null
                : new BadRequest("not a principal: " + Objects.requireNonNullElse(problem, "an empty name"));
    }
}
