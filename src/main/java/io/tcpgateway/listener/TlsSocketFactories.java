package io.tcpgateway.listener;

import io.tcpgateway.config.InvalidGatewayConfigurationException;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.connection.SocketLayer;
import java.io.ByteArrayInputStream;
import java.util.Objects;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Bridges Spring Boot SSL bundles to the listeners, as Spring Integration has no bundle support of its
 * own: the bundle's SSL context puts a server-side TLS socket over each accepted plain socket, with
 * the bundle's options (protocols, ciphers). The server socket itself stays plain, so its accept
 * failures are the listener's to handle (see {@link RetryingServerSocket}), and bytes can be read from
 * the plain socket before TLS starts when a later feature needs to.
 */
final class TlsSocketFactories {

    private TlsSocketFactories() {
    }

    static SslBundle bundleFor(ListenerProperties listener, int index, SslBundles bundles) {
        try {
            return bundles.getBundle(Objects.requireNonNull(listener.sslBundle(), "a TLS listener has a bundle"));
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidGatewayConfigurationException("gateway.listeners[" + index + "].ssl-bundle",
                    String.valueOf(listener.sslBundle()), "no SSL bundle of that name is configured under spring.ssl.bundle.*"
                            + " (known: " + bundles.getBundleNames() + ")");
        }
    }

    /** TLS over each accepted socket; the handshake runs on the connection's reader at its first read. */
    static SocketLayer layer(SslBundle bundle) {
        SSLSocketFactory factory = bundle.createSslContext().getSocketFactory();
        SslOptions options = bundle.getOptions();
        return (plain, consumed) -> {
            // Server mode; bytes of the handshake already read (looking for a PROXY header) are given back.
            SSLSocket tls = (SSLSocket) factory.createSocket(plain,
                    (consumed.length == 0) ? null : new ByteArrayInputStream(consumed), true);
            if (options.getEnabledProtocols() != null) {
                tls.setEnabledProtocols(options.getEnabledProtocols());
            }
            if (options.getCiphers() != null) {
                tls.setEnabledCipherSuites(options.getCiphers());
            }
            return tls;
        };
    }
}
