package io.tcpgateway.listener;

import static io.tcpgateway.support.Bytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.support.AdminClient;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.ProxyHeaders;
import io.tcpgateway.support.TcpTestClient;
import io.tcpgateway.support.TestCertificates;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * CONTRACT section 2, PROXY protocol: the header is read before anything else (TLS included), the
 * client it names is the connection's address everywhere (with the balancer as proxyAddress), and a
 * header that is invalid, truncated, too slow, missing where required or from an untrusted address
 * closes the connection (reason proxy-header-invalid) with nothing written to it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.admin.password=test-secret",
        "gateway.listeners[0].name=optional", "gateway.listeners[0].port=0", "gateway.listeners[0].mode=echo",
        "gateway.listeners[0].proxy-protocol=optional", "gateway.listeners[0].proxy-header-timeout=500ms",
        "gateway.listeners[1].name=required", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[1].proxy-protocol=required", "gateway.listeners[1].proxy-header-timeout=500ms",
        "gateway.listeners[2].name=untrusted", "gateway.listeners[2].port=0", "gateway.listeners[2].mode=echo",
        "gateway.listeners[2].proxy-protocol=required", "gateway.listeners[2].trusted-proxies=10.0.0.0/8,192.168.0.0/16",
        "gateway.listeners[3].name=tls", "gateway.listeners[3].port=0", "gateway.listeners[3].mode=echo",
        "gateway.listeners[3].proxy-protocol=required", "gateway.listeners[3].ssl-bundle=proxied-tls",
        "gateway.listeners[4].name=trusted", "gateway.listeners[4].port=0", "gateway.listeners[4].mode=echo",
        "gateway.listeners[4].proxy-protocol=required", "gateway.listeners[4].trusted-proxies=127.0.0.0/8",
        "gateway.listeners[5].name=per-source", "gateway.listeners[5].port=0", "gateway.listeners[5].mode=echo",
        "gateway.listeners[5].proxy-protocol=optional", "gateway.listeners[5].max-connections-per-source=1" })
@ExtendWith(OutputCaptureExtension.class)
class ProxyProtocolIT {

    static Path keystore;

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @LocalServerPort
    int managementPort;

    @DynamicPropertySource
    static void sslBundle(DynamicPropertyRegistry properties) throws Exception {
        keystore = TestCertificates.selfSignedKeystore();
        TestCertificates.registerKeystore(properties, "proxied-tls", keystore);
    }

    @Test
    void aV1Tcp4HeaderMakesTheClientAddressTheConnectionsAddressEverywhere(CapturedOutput output) {
        try (TcpTestClient client = TcpTestClient.connect(port("required"))) {
            client.sendRaw(ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000\r\nhello\n"));
            assertThat(client.readLine()).isEqualTo("hello");
            Peer peer = peerFrom("203.0.113.7");
            assertThat(peer.remotePort()).isEqualTo(51234);
            assertThat(peer.proxyAddress()).as("the balancer").isEqualTo("127.0.0.1");
            JsonNode shown = AdminClient.as(managementPort, "admin", "test-secret").get("/actuator/connections/" + peer.id()).json();
            assertThat(shown.at("/remoteAddress").asString()).isEqualTo("203.0.113.7");
            assertThat(shown.at("/remotePort").asInt()).isEqualTo(51234);
            assertThat(shown.at("/proxyAddress").asString()).isEqualTo("127.0.0.1");
            assertThat(output.getOut()).contains("Connection opened: listener=required id=" + peer.id() + " remote=203.0.113.7:51234");
        }
        try (TcpTestClient direct = TcpTestClient.connect(port("optional"))) {
            direct.sendLine("PING");
            assertThat(direct.readLine()).isEqualTo("PONG");
            JsonNode shown = AdminClient.as(managementPort, "admin", "test-secret")
                    .get("/actuator/connections/" + Peers.awaitPeer(registry, direct).id()).json();
            assertThat(shown.has("proxyAddress")).as("shown as null when there is none").isTrue();
            assertThat(shown.get("proxyAddress").isNull()).isTrue();
        }
    }

    @Test
    void aV1Tcp6HeaderIsTakenToo() {
        try (TcpTestClient client = TcpTestClient.connect(port("required"))) {
            client.sendRaw(ascii("PROXY TCP6 2001:db8::7 2001:db8::1 40000 9000\r\nsix\n"));
            assertThat(client.readLine()).isEqualTo("six");
            assertThat(peerFrom("2001:db8:0:0:0:0:0:7").remotePort()).isEqualTo(40000);
        }
    }

    @Test
    void aV2HeaderWithTlvsIsTakenAndAV2LocalKeepsTheSocketAddress() {
        ByteBuffer addresses = ByteBuffer.allocate(12 + 7).put(new byte[] { (byte) 198, 51, 100, 9 })
                .put(new byte[] { 10, 0, 0, 1 }).putShort((short) 61000).putShort((short) 9000)
                .put(new byte[] { 0x05, 0x00, 0x04, 'v', 'p', 'c', 'e' });
        try (TcpTestClient client = TcpTestClient.connect(port("required"))) {
            client.sendRaw(ProxyHeaders.concat(ProxyHeaders.v2(0x21, 0x11, addresses.array()), ascii("two\n")));
            assertThat(client.readLine()).isEqualTo("two");
            assertThat(peerFrom("198.51.100.9").remotePort()).isEqualTo(61000);
        }
        try (TcpTestClient unspecified = TcpTestClient.connect(port("required"))) {
            unspecified.sendRaw(ProxyHeaders.concat(ProxyHeaders.v2(0x21, 0x00, new byte[0]), ascii("unspec\n")));
            assertThat(unspecified.readLine()).as("a relayed client of no known family: a client").isEqualTo("unspec");
            Peer peer = Peers.awaitPeer(registry, unspecified);
            assertThat(peer.remoteAddress()).as("the socket address kept").isEqualTo("127.0.0.1");
            assertThat(peer.proxyAddress()).isNull();
        }
        try (TcpTestClient unknown = TcpTestClient.connect(port("required"))) {
            unknown.sendRaw(ascii("PROXY UNKNOWN\r\nv1\n"));
            assertThat(unknown.readLine()).isEqualTo("v1");
            assertThat(Peers.awaitPeer(registry, unknown).remoteAddress()).isEqualTo("127.0.0.1");
        }
    }

    /** A balancer's health check is answered, but is no client: see BalancerHealthCheckIT for the rest. */
    @Test
    void aV2LocalHeaderIsAHealthCheckAnsweredWithPongAndNothingElse() {
        try (TcpTestClient healthCheck = TcpTestClient.connect(port("required"))) {
            healthCheck.sendRaw(ProxyHeaders.concat(ProxyHeaders.v2(0x20, 0x00, new byte[0]), ascii("local\nPING\n")));
            assertThat(healthCheck.readLine()).as("not echoed: PONG is the first thing it gets").isEqualTo("PONG");
            assertThat(Peers.of(registry, healthCheck)).as("never a peer").isNull();
        }
    }

    /** HAProxy's check-send-proxy with v1 send-proxy names its own end of the check: no client was relayed. */
    @Test
    void aV1HeaderNamingTheBalancersOwnEndIsAHealthCheckAndAnyOtherPortAClient() {
        try (TcpTestClient healthCheck = TcpTestClient.connect(port("trusted"))) {
            int own = healthCheck.socket().getLocalPort();
            healthCheck.sendRaw(ascii("PROXY TCP4 127.0.0.1 127.0.0.1 " + own + " " + port("trusted") + "\r\nhi\nPING\n"));
            assertThat(healthCheck.readLine()).isEqualTo("PONG");
            assertThat(Peers.of(registry, healthCheck)).isNull();
        }
        try (TcpTestClient relayed = TcpTestClient.connect(port("trusted"))) {
            int other = (relayed.socket().getLocalPort() == 65535) ? 1024 : relayed.socket().getLocalPort() + 1;
            relayed.sendRaw(ascii("PROXY TCP4 127.0.0.1 127.0.0.1 " + other + " " + port("trusted") + "\r\nhi\n"));
            assertThat(relayed.readLine()).as("a client on the balancer's host: relayed").isEqualTo("hi");
            await().until(() -> registry.all().stream().anyMatch((peer) -> peer.remotePort() == other
                    && "127.0.0.1".equals(peer.proxyAddress())));
        }
    }

    @Test
    void aHeaderSplitIntoSmallWritesIsReadWhole() {
        try (TcpTestClient client = TcpTestClient.connect(port("required"))) {
            for (byte b : ascii("PROXY TCP4 203.0.113.8 10.0.0.1 5000 9000\r\n")) {
                client.sendRaw(new byte[] { b });
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // a slow balancer, within the 500 ms
            }
            client.sendRaw(ascii("split\n"));
            assertThat(client.readLine()).isEqualTo("split");
            assertThat(peerFrom("203.0.113.8").remotePort()).isEqualTo(5000);
        }
    }

    @Test
    void optionalModeTakesAConnectionWithoutAHeaderAsItIs() {
        try (TcpTestClient client = TcpTestClient.connect(port("optional"))) {
            client.sendLine("PING");
            assertThat(client.readLine()).as("the bytes read looking for a header are the client's").isEqualTo("PONG");
            client.sendLine("PROXY is just a word here");
            assertThat(client.readLine()).isEqualTo("PROXY is just a word here");
            assertThat(Peers.awaitPeer(registry, client).proxyAddress()).isNull();
        }
        try (TcpTestClient proxied = TcpTestClient.connect(port("optional"))) {
            proxied.sendRaw(ascii("PROXY TCP4 203.0.113.9 10.0.0.1 6000 9000\r\nvia\n"));
            assertThat(proxied.readLine()).isEqualTo("via");
            assertThat(peerFrom("203.0.113.9").proxyAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void nothingIsWrittenToAConnectionBeforeItsHeaderIsRead() {
        // An AWS NLB sends the header with the client's first data: until then the connection is not a
        // peer (no broadcast, no heartbeat, no "server full"), and the first data still counts.
        try (TcpTestClient waiting = TcpTestClient.connect(port("required"))) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            assertThat(Peers.of(registry, waiting)).as("not a peer before its header").isNull();
            waiting.sendRaw(ascii("PROXY TCP4 203.0.113.10 10.0.0.1 7000 9000\r\nlate\n"));
            assertThat(waiting.readLine()).isEqualTo("late");
        }
    }

    @Test
    void invalidHeadersCloseTheConnectionWithNothingWritten() {
        long before = closedAsInvalid();
        assertClosedSilently("required", ascii("hello without a header\n"));
        assertClosedSilently("required", ascii("PROXY TCP4 not-an-address 10.0.0.1 1 2\r\n"));
        assertClosedSilently("required", ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234\r\n"));
        assertClosedSilently("required", ProxyHeaders.v2(0x11, 0x11, new byte[12])); // a v2 signature with version 1
        assertClosedSilently("optional", ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000\r"));
        assertClosedSilently("untrusted", ascii("PROXY TCP4 203.0.113.7 10.0.0.1 51234 9000\r\nhello\n"));
        await().until(() -> closedAsInvalid() >= before + 6);
        assertThat(registry.closed()).filteredOn((peer) -> peer.reason() == CloseReason.PROXY_HEADER_INVALID)
                .isNotEmpty();
    }

    /** Strict address literals: the JDK alone reads 1.2.3 as 1.2.0.3 and 01.2.3.4 as 1.2.3.4. */
    @Test
    void aMalformedAddressIsAnInvalidHeaderNotAnotherClient() {
        long before = closedAsInvalid();
        for (String header : List.of("PROXY TCP4 1.2.3 127.0.0.1 1000 2000\r\n", "PROXY TCP4 01.2.3.4 127.0.0.1 1000 2000\r\n",
                "PROXY TCP6 [::1] ::1 1000 2000\r\n", "PROXY TCP6 fe80::1%1 ::1 1000 2000\r\n",
                "PROXY TCP4 1.2.3.4 127.0.0.01 1000 2000\r\n")) {
            assertClosedSilently("required", ascii(header + "hello\n"));
        }
        await().until(() -> closedAsInvalid() >= before + 5);
        assertThat(registry.closed()).noneMatch((peer) -> peer.remoteAddress().equals("1.2.0.3")
                || peer.remoteAddress().equals("1.2.3.4"));
        try (TcpTestClient mapped = TcpTestClient.connect(port("required"))) {
            mapped.sendRaw(ascii("PROXY TCP6 ::ffff:203.0.113.13 ::1 4000 9000\r\nmapped\n"));
            assertThat(mapped.readLine()).as("an IPv4-mapped client is its IPv4 address").isEqualTo("mapped");
            assertThat(peerFrom("203.0.113.13").remotePort()).isEqualTo(4000);
        }
    }

    @Test
    void aMissingOrSlowHeaderIsClosedAtTheHeaderTimeout() {
        try (TcpTestClient silent = TcpTestClient.connect(port("required"))) {
            long started = System.nanoTime();
            assertThat(silent.readUntilClosed()).as("nothing written").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        }
        try (TcpTestClient slow = TcpTestClient.connect(port("required"))) {
            slow.sendRaw(ascii("PROXY TCP4 "));
            assertThat(slow.readUntilClosed()).as("a header not finished within 500 ms").isEmpty();
        }
        await().until(() -> registry.closed().stream().filter((peer) -> peer.reason() == CloseReason.PROXY_HEADER_INVALID)
                .count() >= 2);
    }

    @Test
    void aHeaderFromATrustedProxyIsTaken() {
        try (TcpTestClient client = TcpTestClient.connect(port("trusted"))) {
            client.sendRaw(ascii("PROXY TCP4 203.0.113.11 10.0.0.1 8000 9000\r\ntrusted\n"));
            assertThat(client.readLine()).isEqualTo("trusted");
            assertThat(peerFrom("203.0.113.11").proxyAddress()).isEqualTo("127.0.0.1");
        }
    }

    /** CONTRACT section 2: the per-source limit counts the client address from the header, not the balancer's. */
    @Test
    void thePerSourceLimitCountsTheClientAddressFromTheHeader() {
        try (TcpTestClient a = TcpTestClient.connect(port("per-source"));
                TcpTestClient b = TcpTestClient.connect(port("per-source"));
                TcpTestClient againA = TcpTestClient.connect(port("per-source"))) {
            a.sendRaw(ascii("PROXY TCP4 198.51.100.1 10.0.0.1 1000 9000\r\nfrom a\n"));
            assertThat(a.readLine()).isEqualTo("from a");
            b.sendRaw(ascii("PROXY TCP4 198.51.100.2 10.0.0.1 1000 9000\r\nfrom b\n"));
            assertThat(b.readLine()).as("same balancer, another client").isEqualTo("from b");
            againA.sendRaw(ascii("PROXY TCP4 198.51.100.1 10.0.0.1 1001 9000\r\nfrom a again\n"));
            assertThat(againA.readLine()).isEqualTo("ERROR too many connections from your address");
            againA.awaitClosedByServer();
            a.sendLine("still here");
            assertThat(a.readLine()).isEqualTo("still here");
        }
    }

    @Test
    void tlsBehindAProxyHeader() throws Exception {
        SSLContext tls = TestCertificates.trusting(keystore);
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", port("tls")), 5000);
        raw.getOutputStream().write(ascii("PROXY TCP4 203.0.113.12 10.0.0.1 9443 9000\r\n"));
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(raw, "localhost", port("tls"), true);
        try (TcpTestClient client = TcpTestClient.over(secure)) {
            client.sendLine("secret");
            assertThat(client.readLine()).isEqualTo("secret");
            assertThat(secure.getSession().getProtocol()).startsWith("TLSv1.");
            assertThat(peerFrom("203.0.113.12").remotePort()).isEqualTo(9443);
        }
    }

    private void assertClosedSilently(String listener, byte[] sent) {
        try (TcpTestClient client = TcpTestClient.connect(port(listener))) {
            client.sendRaw(sent);
            assertThat(client.readUntilClosed()).as("nothing written after %s", new String(sent, StandardCharsets.US_ASCII))
                    .isEmpty();
        }
    }

    private long closedAsInvalid() {
        return registrar.listeners().stream().mapToLong((listener) -> listener.stats().closed(CloseReason.PROXY_HEADER_INVALID))
                .sum();
    }

    private Peer peerFrom(String clientAddress) {
        return await().until(() -> registry.all().stream().filter((peer) -> peer.remoteAddress().equals(clientAddress))
                .findFirst().orElse(null), (peer) -> peer != null);
    }

    private int port(String listener) {
        return GatewayPorts.of(registrar, listener);
    }

}
