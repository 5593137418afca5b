package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminCall.Broadcast;
import io.tcpgateway.admin.AdminCall.FlushPrincipal;
import io.tcpgateway.admin.AdminCall.Get;
import io.tcpgateway.admin.AdminCall.Kick;
import io.tcpgateway.admin.AdminCall.KickPrincipal;
import io.tcpgateway.admin.AdminCall.PrincipalConnections;
import io.tcpgateway.admin.AdminCall.Replace;
import io.tcpgateway.admin.AdminCall.Send;
import io.tcpgateway.admin.AdminCall.SendToPrincipal;
import io.tcpgateway.admin.AdminResult.BadRequest;
import io.tcpgateway.admin.AdminResult.Counted;
import io.tcpgateway.admin.AdminResult.Delivered;
import io.tcpgateway.admin.AdminResult.Done;
import io.tcpgateway.admin.AdminResult.Found;
import io.tcpgateway.admin.AdminResult.NotFound;
import io.tcpgateway.admin.AdminResult.Page;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.principal.LocalPrincipals;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The admin operations on this pod's own connections: what an endpoint runs for a connection that
 * lives here, and what this pod runs when another pod forwards a call to it (the calls on a principal are
 * {@link LocalPrincipals}').
 */
@Component
public class LocalAdmin {

    private final PeerRegistry registry;
    private final ListenerRegistrar listeners;
    private final LocalPrincipals principals;

    public LocalAdmin(PeerRegistry registry, ListenerRegistrar listeners, LocalPrincipals principals) {
        this.registry = registry;
        this.listeners = listeners;
        this.principals = principals;
    }

    public AdminResult execute(AdminCall call) {
        return switch (call) {
            case Get get -> get(get.id());
            case Kick kick -> close(kick.id(), CloseReason.KICKED);
            case Replace replace -> close(replace.id(), CloseReason.REPLACED);
            case Send send -> send(send.id(), send.message());
            case Broadcast broadcast -> broadcast(broadcast.message(), broadcast.listener());
            case PrincipalConnections of -> new Page(0, principals.connections(of.principal()).stream()
                    .map(ConnectionDescriptor::of).toList());
            case SendToPrincipal send -> new Delivered(principals.send(send.principal(), send.listener(), send.message()), null);
            case KickPrincipal kick -> new Counted(principals.kick(kick.principal()));
            case FlushPrincipal flush -> new Counted(principals.flush(flush.principal()));
        };
    }

    /**
     * A page of this pod's open connections (or of its closed history), newest first.
     *
     * @param filter which connections: of one listener, one principal, one client address (each null for all)
     * @param closed the closed history instead of the open connections
     */
    AdminResult list(ConnectionFilter filter, boolean closed, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            return new BadRequest("limit and offset must not be negative");
        }
        if (filter.listener() != null && listeners.listener(filter.listener()) == null) {
            return AdminResult.unknownListener(filter.listener(), listenerNames());
        }
        List<ConnectionDescriptor> matching = closed
                ? registry.closed().stream() // the history is newest first already
                        .filter(filter::matches)
                        .map(ConnectionDescriptor::of).toList()
                : registry.all().stream()
                        .filter(filter::matches)
                        .sorted(Comparator.comparingLong(Peer::sequence).reversed())
                        .map(ConnectionDescriptor::of).toList();
        return new Page(matching.size(), matching.stream().skip(offset).limit(limit).toList());
    }

    private AdminResult get(String id) {
        Optional<Peer> open = registry.find(id);
        if (open.isPresent()) {
            return new Found(ConnectionDescriptor.of(open.get()));
        }
        return registry.closed().stream().filter((peer) -> peer.id().equals(id)).findFirst()
                .<AdminResult>map((closed) -> new Found(ConnectionDescriptor.of(closed)))
                .orElseGet(() -> AdminResult.noConnection(id));
    }

    /** Closes an open connection with {@code reason}'s goodbye: a kick, or a replacement from another pod. */
    private AdminResult close(String id, CloseReason reason) {
        Optional<Peer> peer = registry.find(id);
        if (peer.isEmpty()) {
            return notOpen(id);
        }
        peer.get().closeSaying(reason);
        return new Done();
    }

    private AdminResult send(String id, String message) {
        Optional<Peer> peer = registry.find(id);
        if (peer.isEmpty()) {
            return notOpen(id);
        }
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        String problem = peer.get().listener().codec().cannotCarry(payload);
        if (problem != null) {
            return new BadRequest("message cannot be sent to " + id + ": " + problem);
        }
        if (!peer.get().listener().sendTo(peer.get(), payload)) {
            return new NotFound("connection '" + id + "' is closing");
        }
        return new Done();
    }

    private AdminResult broadcast(String message, @Nullable String listener) {
        List<GatewayListener> targets;
        if (listener == null) {
            targets = listeners.listeners();
        }
        else if (listeners.listener(listener) instanceof GatewayListener named) {
            targets = List.of(named);
        }
        else {
            return AdminResult.unknownListener(listener, listenerNames());
        }
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        for (GatewayListener target : targets) {
            String problem = target.codec().cannotCarry(payload);
            if (problem != null) {
                return new BadRequest("message cannot be sent on listener " + target.name() + ": " + problem);
            }
        }
        int delivered = 0;
        for (GatewayListener target : targets) {
            delivered += target.deliverToAll(target.codec().encode(payload));
        }
        return new Delivered(delivered, null);
    }

    /** Why a call on a connection that is not open cannot be made: it is closed (and how), or it never was. */
    private AdminResult notOpen(String id) {
        return registry.closed().stream().filter((peer) -> peer.id().equals(id)).findFirst()
                .<AdminResult>map((closed) -> new NotFound("connection '" + id + "' is closed (" + closed.reason().tag()
                        + ", at " + closed.closedAt() + ")"))
                .orElseGet(() -> AdminResult.noConnection(id));
    }

    private List<String> listenerNames() {
        return listeners.listeners().stream().map(GatewayListener::name).toList();
    }
}
