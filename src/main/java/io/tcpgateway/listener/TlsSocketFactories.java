package io.tcpgateway.listener;

import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.config.InvalidGatewayConfigurationException;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLServerSocket;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.integration.ip.tcp.connection.DefaultTcpNetSSLSocketFactorySupport;
import org.springframework.integration.ip.tcp.connection.DefaultTcpSocketSupport;

/**
 * Bridges Spring Boot SSL bundles to Spring Integration, which has no bundle support of its own:
 * the bundle's SSL context makes the server sockets, its options (protocols, ciphers) are applied
 * to them, and a bundle with a trust store asks clients for a certificate.
 */
final class TlsSocketFactories {

    private TlsSocketFactories() {
    }

    static SslBundle bundleFor(ListenerProperties listener, int index, SslBundles bundles) {
        try {
            return bundles.getBundle(listener.sslBundle());
        }
        catch (NoSuchSslBundleException ex) {
            throw new InvalidGatewayConfigurationException("gateway.listeners[" + index + "].ssl-bundle",
                    listener.sslBundle(), "no SSL bundle of that name is configured under spring.ssl.bundle.*"
                            + " (known: " + bundles.getBundleNames() + ")");
        }
    }

    static void apply(GatewayServerConnectionFactory factory, SslBundle bundle) {
        factory.setTcpSocketFactorySupport(new DefaultTcpNetSSLSocketFactorySupport(bundle::createSslContext));
        factory.setTcpSocketSupport(new BundleSocketSupport(bundle.getOptions()));
    }

    private static final class BundleSocketSupport extends DefaultTcpSocketSupport {

        private final SslOptions options;

        BundleSocketSupport(SslOptions options) {
            super(false); // no host verification on the server side
            this.options = options;
        }

        @Override
        public void postProcessServerSocket(ServerSocket serverSocket) {
            if (serverSocket instanceof SSLServerSocket ssl) {
                if (options.getEnabledProtocols() != null) {
                    ssl.setEnabledProtocols(options.getEnabledProtocols());
                }
                if (options.getCiphers() != null) {
                    ssl.setEnabledCipherSuites(options.getCiphers());
                }
            }
        }

        @Override
        public void postProcessSocket(Socket socket) {
            // nothing per socket: the handshake runs on the connection's reader thread at its first read
        }
    }
}
