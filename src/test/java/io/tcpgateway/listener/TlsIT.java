package io.tcpgateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A listener with {@code ssl-bundle} speaks TLS with the bundle's key; a certificate is made at test time. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=secure", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].ssl-bundle=gateway-tls",
        "gateway.listeners[1].name=plain", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo" })
class TlsIT {

    static Path keystore;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @DynamicPropertySource
    static void sslBundle(DynamicPropertyRegistry properties) throws Exception {
        keystore = TestCertificates.selfSignedKeystore();
        TestCertificates.registerKeystore(properties, "gateway-tls", keystore);
    }

    @Test
    void aTlsClientTrustingTheBundleCertificateChatsOverTls() throws Exception {
        SSLContext client = TestCertificates.trusting(keystore);
        try (TcpTestClient tls = TcpTestClient.connect(client.getSocketFactory(), GatewayPorts.of(registrar, "secure"))) {
            tls.sendLine("secret");
            assertThat(tls.readLine()).isEqualTo("secret");
            assertThat(((SSLSocket) tls.socket()).getSession().getProtocol()).startsWith("TLSv1.");
        }
    }

    @Test
    void aPlainTextClientOnTheTlsListenerIsClosedAsAnErrorAndOthersCarryOn() {
        try (TcpTestClient plainOnTls = TcpTestClient.connect(GatewayPorts.of(registrar, "secure"))) {
            plainOnTls.sendLine("hello in clear text");
            plainOnTls.awaitClosedByServer();
        }
        await().until(() -> registry.closed().stream().anyMatch((peer) -> peer.listener().equals("secure")
                && peer.reason() == CloseReason.ERROR));
        try (TcpTestClient plain = TcpTestClient.connect(GatewayPorts.of(registrar, "plain"))) {
            plain.sendLine("unaffected");
            assertThat(plain.readLine()).isEqualTo("unaffected");
        }
    }
}
