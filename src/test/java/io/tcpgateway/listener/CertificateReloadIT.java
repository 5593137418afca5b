package io.tcpgateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * CONTRACT section 2, {@code ssl-bundle} with {@code reload-on-update: true}: when the bundle's files
 * change, new handshakes get the new certificate (Spring Boot's SSL bundle watching), and a connection
 * opened before keeps working.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret", "spring.ssl.bundle.watch.file.quiet-period=200ms",
        "gateway.listeners[0].name=secure", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].ssl-bundle=renewed" })
class CertificateReloadIT {

    static Path live;

    @Autowired
    ListenerRegistrar registrar;

    @DynamicPropertySource
    static void bundle(DynamicPropertyRegistry properties) throws Exception {
        live = Files.createTempDirectory("tcp-gateway-reload").resolve("live.p12");
        Files.copy(TestCertificates.selfSignedKeystore("first"), live);
        TestCertificates.registerKeystore(properties, "renewed", live);
        properties.add("spring.ssl.bundle.jks.renewed.reload-on-update", () -> "true");
    }

    @Test
    void newHandshakesGetTheNewCertificateAndOpenConnectionsStay() throws Exception {
        try (SSLSocket before = connect()) {
            assertThat(servedCn(before)).isEqualTo("CN=first");
            TcpTestClient open = TcpTestClient.over(before);
            open.sendLine("before");
            assertThat(open.readLine()).isEqualTo("before");

            Path renewed = live.resolveSibling("renewed.p12");
            Files.copy(TestCertificates.selfSignedKeystore("second"), renewed);
            Files.move(renewed, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try (SSLSocket after = connect()) {
                    return servedCn(after).equals("CN=second");
                }
            });
            open.sendLine("still here");
            assertThat(open.readLine()).as("the connection made before the renewal").isEqualTo("still here");
            assertThat(servedCn(before)).as("keeps its session").isEqualTo("CN=first");
        }
    }

    private SSLSocket connect() throws Exception {
        SSLSocket tls = (SSLSocket) TestCertificates.trustingAnything().getSocketFactory().createSocket();
        tls.connect(new InetSocketAddress("127.0.0.1", GatewayPorts.of(registrar, "secure")), 5000);
        tls.setSoTimeout(5000);
        tls.startHandshake();
        return tls;
    }

    private static String servedCn(SSLSocket tls) throws IOException {
        return ((X509Certificate) tls.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
}
