package io.tcpgateway.connection;

import io.tcpgateway.auth.CertificatePrincipal;
import io.tcpgateway.auth.PrincipalRules;
import io.tcpgateway.config.Auth;
import io.tcpgateway.config.ProxyProtocol;
import io.tcpgateway.logging.LogText;
import io.tcpgateway.proxy.InvalidProxyHeaderException;
import io.tcpgateway.proxy.ProxyHeader;
import io.tcpgateway.proxy.ProxyHeaderReader;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs on a new connection before it becomes a peer, on its reader thread: the PROXY header (read
 * before anything else, TLS included, byte by byte so nothing after it is taken), the TLS layer put over
 * the socket after it, and the client-certificate handshake. Like Netty's {@code HAProxyMessageDecoder}
 * and {@code SslHandler}, it runs once and steps aside: the conversation gets the socket to use, the
 * client's address (set on the peer) and the bytes already read that were the client's own, or the
 * connection is closed here with its reason. Nothing is ever written before it has succeeded.
 */
final class ConnectionPreamble {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPreamble.class);
    private static final byte[] NOTHING = new byte[0];

    private ConnectionPreamble() {
    }

    /**
     * Where the conversation goes on: the socket (TLS over the accepted one, or it), the bytes read already,
     * and whether it is a balancer's health check ({@link BalancerHealthCheck}) rather than a client.
     */
    record Conversation(Socket socket, byte[] firstBytes, boolean healthCheck) {

        Conversation(Socket socket, byte[] firstBytes) {
            this(socket, firstBytes, false);
        }
    }

    /**
     * Runs the preamble the listener asks for; null when the connection was closed instead.
     *
     * @param afterProxyHeader for a listener with a PROXY header: the layer (TLS or none) to put over the
     *     socket once the header is read; null when the socket is ready as it is
     */
    static @Nullable Conversation run(Socket socket, Peer peer, @Nullable SocketLayer afterProxyHeader) {
        Conversation conversation = (afterProxyHeader != null) ? takeProxyHeader(socket, peer, afterProxyHeader)
                : new Conversation(socket, NOTHING);
        if (conversation != null && peer.listener().properties().auth() == Auth.CLIENT_CERT
                && !authenticateClientCertificate(conversation.socket(), peer)) {
            return null;
        }
        return conversation;
    }

    /**
     * Reads the PROXY header and takes the client it names as the peer's address; then puts the listener's
     * layer over the socket. Closed instead when the header was invalid, truncated, too slow, missing where
     * required, or came from an untrusted address (reason {@code proxy-header-invalid}), or the client left
     * before sending anything.
     */
    private static @Nullable Conversation takeProxyHeader(Socket socket, Peer peer, SocketLayer layer) {
        GatewayListener listener = peer.listener();
        boolean required = listener.proxyProtocol() == ProxyProtocol.REQUIRED;
        DeadlineInputStream in = null;
        try {
            in = new DeadlineInputStream(socket, listener.properties().proxyHeaderTimeout());
            ProxyHeader header = readProxyHeader(in, required);
            byte[] firstBytes = NOTHING;
            boolean healthCheck = false;
            switch (header) {
                case ProxyHeader.Client client -> {
                    trusted(socket, listener);
                    if (namesThisConnection(client, socket)) {
                        healthCheck = true;
                    }
                    else {
                        peer.relayedFor(client.address());
                    }
                }
                case ProxyHeader.Local local -> {
                    trusted(socket, listener);
                    healthCheck = local.fromBalancer();
                }
                case ProxyHeader.Absent absent -> {
                    if (required) {
                        throw new InvalidProxyHeaderException("no PROXY header");
                    }
                    firstBytes = absent.firstBytes();
                }
            }
            in.done();
            return layer.isTls() ? new Conversation(layer.over(socket, firstBytes), NOTHING, healthCheck) // TLS takes them
                    : new Conversation(socket, firstBytes, healthCheck);
        }
        catch (EOFException left) {
            // Gone before a header could be read; in optional mode one that sent nothing just left.
            peer.close((required || (in != null && in.bytesRead() > 0)) ? CloseReason.PROXY_HEADER_INVALID : CloseReason.PEER);
            return null;
        }
        catch (IOException | RuntimeException invalid) {
            log.debug("PROXY header refused from {}: {}", peer.remoteAddress(), LogText.escape(String.valueOf(invalid.getMessage())));
            peer.close(CloseReason.PROXY_HEADER_INVALID);
            return null;
        }
    }

    /** A timeout with nothing read means no header in optional mode; anything else is what the reader says. */
    private static ProxyHeader readProxyHeader(DeadlineInputStream in, boolean required) throws IOException {
        try {
            return ProxyHeaderReader.read(in);
        }
        catch (SocketTimeoutException slow) {
            if (required || in.bytesRead() > 0) {
                throw new InvalidProxyHeaderException("no complete PROXY header within the proxy-header-timeout");
            }
            return new ProxyHeader.Absent(NOTHING);
        }
    }

    /**
     * Whether the header's client is the balancer's own end of this very connection, address and port: then
     * nothing was relayed, and the connection is the balancer's own. HAProxy's {@code check-send-proxy} with
     * v1 {@code send-proxy} says so this way ({@code PROXY TCP4 <its address> <ours> <its port> <ours>});
     * with v2 it sends {@code LOCAL}. A relayed client's own port is never the one the balancer connects from.
     */
    private static boolean namesThisConnection(ProxyHeader.Client client, Socket socket) {
        return client.address().getPort() == socket.getPort()
                && client.address().getAddress().equals(socket.getInetAddress());
    }

    private static void trusted(Socket socket, GatewayListener listener) throws InvalidProxyHeaderException {
        if (!listener.trustsProxy(socket.getInetAddress())) {
            throw new InvalidProxyHeaderException("a PROXY header from " + socket.getInetAddress().getHostAddress()
                    + ", which is not in trusted-proxies");
        }
    }

    /**
     * {@code auth: client-cert}: the TLS handshake, within {@code gateway.auth.timeout}; the principal is
     * the CN of the certificate presented. A handshake without a certificate the bundle trusts (or too slow),
     * or a CN that is no principal (section 11), closes the connection: {@code auth-failed} (or
     * {@code auth-timeout}), counted and logged, no goodbye (there is no TLS to carry one).
     */
    private static boolean authenticateClientCertificate(Socket socket, Peer peer) {
        GatewayListener listener = peer.listener();
        try {
            SSLSocket tls = (SSLSocket) socket;
            int before = tls.getSoTimeout();
            tls.setSoTimeout((int) Math.max(1, listener.auth().timeout().toMillis()));
            tls.startHandshake();
            tls.setSoTimeout(before);
            String principal = CertificatePrincipal.of((X509Certificate) tls.getSession().getPeerCertificates()[0]);
            String problem = PrincipalRules.problemWith(principal);
            if (problem != null) {
                listener.auth().failed(peer, CloseReason.AUTH_FAILED, "client certificate with " + problem);
                return false;
            }
            peer.authenticatedAs(principal);
            return true;
        }
        catch (SocketTimeoutException slow) {
            listener.auth().failed(peer, CloseReason.AUTH_TIMEOUT, "no TLS handshake within the auth timeout");
        }
        catch (IOException | RuntimeException refused) {
            listener.auth().failed(peer, CloseReason.AUTH_FAILED, "TLS handshake without a trusted client "
                    + "certificate: " + refused.getMessage());
        }
        return false;
    }
}
