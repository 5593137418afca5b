package io.tcpgateway.listener;

import io.tcpgateway.connection.GatewayConnection;
import io.tcpgateway.connection.Peer;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

/**
 * Turns a frame into a message with only two headers: Spring Integration's standard connection id
 * (what an outbound adapter would reply to) and the {@link Peer} itself (so nothing downstream looks a
 * peer up by string).
 * The stock mapper builds its headers twice, generates two ids, and adds host and address headers
 * per frame. Frames from
 * a peer that is not admitted (server full) or is being closed are counted, then dropped here.
 */
final class GatewayMessageMapper extends TcpMessageMapper {

    @Override
    public @Nullable Message<?> toMessage(TcpConnection connection, @Nullable Map<String, Object> headers) {
        Object payload = connection.getPayload();
        GatewayConnection gatewayConnection = (GatewayConnection) connection;
        Peer peer = gatewayConnection.peer();
        int wireBytes = gatewayConnection.takeBytesRead();
        if (!(payload instanceof byte[] frame)) {
            return null;
        }
        // Read is read: a frame from a peer being closed (drained on shutdown, say) still counts as life.
        peer.recordRead(wireBytes);
        if (!peer.acceptsInput()) {
            return null;
        }
        return new GenericMessage<>(frame, new FrameHeaders(connection.getConnectionId(), peer));
    }

    /**
     * Headers without the generated {@code id} and {@code timestamp}: nothing in a listener's flow
     * correlates or times messages, and building them was a measurable part of every frame's cost.
     */
    static final class FrameHeaders extends MessageHeaders {

        FrameHeaders(String connectionId, Peer peer) {
            super(null, ID_VALUE_NONE, -1L);
            getRawHeaders().put(IpHeaders.CONNECTION_ID, connectionId); // filled in place: no Map.of, no copy
            getRawHeaders().put(Peer.HEADER, peer);
        }
    }
}
