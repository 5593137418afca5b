package io.tcpgateway.listener;

import io.tcpgateway.config.InvalidGatewayConfigurationException;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.connection.SocketLayer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Objects;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges Spring Boot SSL bundles to the listeners, as Spring Integration has no bundle support of its
 * own: the bundle's SSL context puts a server-side TLS socket over each accepted plain socket, with
 * the bundle's options (protocols, ciphers). The server socket itself stays plain, so its accept
 * failures are the listener's to handle (see {@link RetryingServerSocket}), and bytes can be read from
 * the plain socket before TLS starts when a later feature needs to.
 */
final class TlsSocketFactories {

    private static final Logger log = LoggerFactory.getLogger(TlsSocketFactories.class);

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

    /**
     * TLS over each accepted socket; the handshake runs on the connection's reader at its first read (for
     * client-cert, before the connection becomes a peer). {@code needClientAuth}: the client must present
     * a certificate the bundle's trust material accepts. When the bundle is reloaded (Spring Boot's
     * {@code reload-on-update}: its files changed), new handshakes use the new material; open connections
     * keep theirs.
     */
    static SocketLayer layer(String bundleName, SslBundles bundles, boolean needClientAuth) {
        ReloadableLayer layer = new ReloadableLayer(bundles.getBundle(bundleName), needClientAuth);
        bundles.addBundleUpdateHandler(bundleName, layer::reload);
        return layer;
    }

    private static final class ReloadableLayer implements SocketLayer {

        private final boolean needClientAuth;
        private volatile SSLSocketFactory factory;
        private volatile SslOptions options;

        ReloadableLayer(SslBundle bundle, boolean needClientAuth) {
            this.needClientAuth = needClientAuth;
            this.factory = bundle.createSslContext().getSocketFactory();
            this.options = bundle.getOptions();
        }

        void reload(SslBundle bundle) {
            this.factory = bundle.createSslContext().getSocketFactory();
            this.options = bundle.getOptions();
            log.info("SSL bundle reloaded: new TLS connections use the new certificate; open ones keep theirs");
        }

        @Override
        public Socket over(Socket plain, byte[] consumed) throws IOException {
            SslOptions current = options;
            // Server mode; bytes of the handshake already read (looking for a PROXY header) are given back.
            SSLSocket tls = (SSLSocket) factory.createSocket(plain,
                    (consumed.length == 0) ? null : new ByteArrayInputStream(consumed), true);
            if (current.getEnabledProtocols() != null) {
                tls.setEnabledProtocols(current.getEnabledProtocols());
            }
            if (current.getCiphers() != null) {
                tls.setEnabledCipherSuites(current.getCiphers());
            }
            tls.setNeedClientAuth(needClientAuth);
            return tls;
        }
    }
}
