package io.tcpgateway.connection;

import io.tcpgateway.ban.BanGate;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.config.ProxyProtocol;
import io.tcpgateway.framing.FrameCodec;
import java.net.InetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a listener's accept loop asks of each socket it has just accepted, before there is a connection,
 * a thread or a TLS handshake: whether it is refused at once, and with which goodbye. A refusal costs one
 * check and one small write.
 */
public final class AcceptGate {

    private final DescriptorReserve descriptors;
    private final BanGate bans;
    private final boolean checksBans;
    private final boolean canSayGoodbye;
    private final byte[] bannedFrame;
    private final byte[] serverFullFrame;

    AcceptGate(ListenerProperties properties, FrameCodec codec, DescriptorReserve descriptors, BanGate bans) {
        this.descriptors = descriptors;
        this.bans = bans;
        // Behind PROXY protocol the client's address is known only once the header is read: its ban is
        // checked at admission. Nothing is written before that header, and nothing on TLS before a handshake.
        this.checksBans = properties.proxyProtocol() == ProxyProtocol.OFF;
        this.canSayGoodbye = !properties.tls() && properties.proxyProtocol() == ProxyProtocol.OFF;
        this.bannedFrame = codec.encode(Objects.requireNonNull(CloseReason.BANNED.goodbye()));
        this.serverFullFrame = codec.encode(Objects.requireNonNull(CloseReason.REJECTED.goodbye()));
    }

    /**
     * Why a socket just accepted from {@code address} is refused, or null: {@code rejected} while the process
     * is down to its reserved file descriptors (CONTRACT section 4), {@code banned} for a banned address
     * (section 12).
     */
    public @Nullable CloseReason refuses(InetAddress address) {
        if (descriptors.isExhausted()) {
            return CloseReason.REJECTED;
        }
        return (checksBans && bans.refuses(address)) ? CloseReason.BANNED : null;
    }

    /** The goodbye a socket refused for {@code reason} is sent, in the listener's framing, or null when none can be. */
    public byte @Nullable [] goodbye(CloseReason reason) {
        if (!canSayGoodbye) {
            return null;
        }
        return (reason == CloseReason.BANNED ? bannedFrame : serverFullFrame).clone();
    }
}
