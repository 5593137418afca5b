package io.tcpgateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.support.GatewayPorts;
import io.tcpgateway.support.Peers;
import io.tcpgateway.support.TcpTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.integration.endpoint.IntegrationConsumer;
import org.springframework.integration.ip.tcp.outbound.TcpSendingMessageHandler;

/** CONTRACT section 2 (modes, framing) and section 3's PING/PONG, against a real gateway on ephemeral ports. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0",
        "gateway.listeners[1].name=echo", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo",
        "gateway.listeners[2].name=everyone", "gateway.listeners[2].port=0", "gateway.listeners[2].include-sender=true",
        "gateway.listeners[3].name=binary", "gateway.listeners[3].port=0", "gateway.listeners[3].mode=echo",
        "gateway.listeners[3].framing=length-prefix",
        "gateway.listeners[4].name=stx", "gateway.listeners[4].port=0", "gateway.listeners[4].mode=echo",
        "gateway.listeners[4].framing=stx-etx",
        "gateway.listeners[5].name=local", "gateway.listeners[5].port=0", "gateway.listeners[5].bind-address=127.0.0.1",
        "gateway.listeners[5].mode=echo" })
class ModesAndFramingIT {

    @Autowired
    ListenerRegistrar registrar;

    @Autowired
    PeerRegistry registry;

    @Autowired
    ApplicationContext context;

    int port(String listener) {
        return GatewayPorts.of(registrar, listener);
    }

    @Test
    void broadcastGoesToEveryOtherPeerOfTheListenerButNotBackToTheSender() {
        try (TcpTestClient a = TcpTestClient.connect(port("chat"));
                TcpTestClient b = TcpTestClient.connect(port("chat"));
                TcpTestClient c = TcpTestClient.connect(port("chat"));
                TcpTestClient otherListener = TcpTestClient.connect(port("everyone"))) {
            awaitPeers("chat", 3);
            a.sendLine("hello all");
            assertThat(b.readLine()).isEqualTo("hello all");
            assertThat(c.readLine()).isEqualTo("hello all");
            // The sender's next frame is the answer to its PING, so the broadcast did not come back to it;
            // the peer of another listener got nothing either.
            a.sendLine("PING");
            assertThat(a.readLine()).isEqualTo("PONG");
            otherListener.sendLine("PING");
            assertThat(otherListener.readLine()).isEqualTo("PONG");
        }
    }

    @Test
    void includeSenderSendsTheBroadcastBackToItsSenderToo() {
        try (TcpTestClient a = TcpTestClient.connect(port("everyone"));
                TcpTestClient b = TcpTestClient.connect(port("everyone"))) {
            awaitPeers("everyone", 2);
            a.sendLine("me too");
            assertThat(a.readLine()).isEqualTo("me too");
            assertThat(b.readLine()).isEqualTo("me too");
        }
    }

    @Test
    void echoGoesBackToTheSenderOnly() {
        try (TcpTestClient a = TcpTestClient.connect(port("echo"));
                TcpTestClient b = TcpTestClient.connect(port("echo"))) {
            awaitPeers("echo", 2);
            a.sendLine("just me");
            assertThat(a.readLine()).isEqualTo("just me");
            b.sendLine("PING");
            assertThat(b.readLine()).isEqualTo("PONG");
        }
    }

    /** The shape the gateway is built on: echo replies leave through the listener's TCP outbound adapter. */
    @Test
    void echoEndsInTheListenersOutboundAdapter() {
        IntegrationConsumer outbound = context.getBean("listener-echo-outbound", IntegrationConsumer.class);
        assertThat(outbound.getHandler()).isInstanceOf(TcpSendingMessageHandler.class);
        try (TcpTestClient client = TcpTestClient.connect(port("echo"))) {
            client.sendLine("through the adapter");
            assertThat(client.readLine()).isEqualTo("through the adapter");
        }
    }

    @Test
    void lineFramingDropsACarriageReturnBeforeTheLineFeedOnlyAndAnswersWithLf() {
        try (TcpTestClient telnet = TcpTestClient.connect(port("echo"))) {
            telnet.sendRaw("from telnet\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(telnet.readLine()).isEqualTo("from telnet");
            telnet.sendRaw("inner\rcr\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(telnet.readLine()).isEqualTo("inner\rcr");
            telnet.sendRaw("one\ntwo\r\nthree\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(telnet.readLine()).isEqualTo("one");
            assertThat(telnet.readLine()).isEqualTo("two");
            assertThat(telnet.readLine()).isEqualTo("three");
        }
    }

    @Test
    void pingIsAnsweredWithPongToThatClientAloneAndPongIsNotPassedOn() {
        try (TcpTestClient a = TcpTestClient.connect(port("chat"));
                TcpTestClient b = TcpTestClient.connect(port("chat"));
                TcpTestClient echo = TcpTestClient.connect(port("echo"))) {
            awaitPeers("chat", 2);
            a.sendLine("PING");
            assertThat(a.readLine()).isEqualTo("PONG");
            a.sendLine("PONG");
            a.sendLine("after");
            assertThat(b.readLine()).as("neither PING nor PONG is broadcast").isEqualTo("after");
            echo.sendLine("PONG");
            echo.sendLine("PING");
            assertThat(echo.readLine()).as("PONG is not echoed").isEqualTo("PONG");
            echo.sendLine("x");
            assertThat(echo.readLine()).isEqualTo("x");
        }
    }

    @Test
    void lengthPrefixFramingEchoesBinaryPayloads() {
        byte[] payload = new byte[70_000 / 2];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (TcpTestClient client = TcpTestClient.connect(port("binary"))) {
            client.sendLengthPrefixed(payload);
            client.sendLengthPrefixed(new byte[0]);
            client.sendLengthPrefixed("PING".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readLengthPrefixed()).isEqualTo(payload);
            assertThat(client.readLengthPrefixed()).isEmpty();
            assertThat(new String(client.readLengthPrefixed(), StandardCharsets.US_ASCII)).isEqualTo("PONG");
        }
    }

    @Test
    void stxEtxFramingEchoesFrames() {
        try (TcpTestClient client = TcpTestClient.connect(port("stx"))) {
            client.sendRaw(new byte[] {0x02, 'a', '\n', 'b', 0x03, 0x02, 'c', 0x03});
            assertThat(client.readExactly(5)).containsExactly(0x02, 'a', '\n', 'b', 0x03);
            assertThat(client.readExactly(3)).containsExactly(0x02, 'c', 0x03);
        }
    }

    @Test
    void bindAddressIsHonouredAndPortZeroReportsTheBoundPort() {
        GatewayListener local = registrar.listener("local");
        assertThat(local.boundPort()).isPositive();
        assertThat(local.properties().port()).isZero();
        try (TcpTestClient client = TcpTestClient.connect(local.boundPort())) {
            client.sendLine("loopback");
            assertThat(client.readLine()).isEqualTo("loopback");
        }
    }

    @Test
    void theRegistryTracksEachPeerFromOpenToCloseWithItsCounters() {
        Peer peer;
        try (TcpTestClient client = TcpTestClient.connect(port("echo"))) {
            peer = Peers.awaitPeer(registry, client);
            assertThat(peer.id()).matches("[A-Za-z0-9_-]{1,16}");
            assertThat(peer.listener().name()).isEqualTo("echo");
            assertThat(peer.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(peer.connectedAt()).isBeforeOrEqualTo(Instant.now());
            client.sendLine("abc");
            client.sendRaw("de\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readLine()).isEqualTo("abc");
            assertThat(client.readLine()).isEqualTo("de");
            await().until(() -> peer.framesOut() == 2);
            assertThat(peer.framesIn()).isEqualTo(2);
            assertThat(peer.bytesIn()).as("wire bytes, framing included").isEqualTo(4 + 4);
            assertThat(peer.bytesOut()).isEqualTo(4 + 3);
            assertThat(peer.pendingBytes()).isZero();
            assertThat(peer.lastReadAtMillis()).isGreaterThanOrEqualTo(peer.connectedAt().toEpochMilli());
            assertThat(peer.lastWriteAtMillis()).isGreaterThanOrEqualTo(peer.lastReadAtMillis());
            assertThat(registry.find(peer.id())).containsSame(peer);
        }
        await().until(() -> registry.find(peer.id()).isEmpty());
        assertThat(peer.closeReason()).isEqualTo(CloseReason.PEER);
        assertThat(peer.closedAt()).isNotNull();
        assertThat(registry.closed()).first().satisfies((closed) -> {
            assertThat(closed.id()).isEqualTo(peer.id());
            assertThat(closed.reason()).isEqualTo(CloseReason.PEER);
            assertThat(closed.framesIn()).isEqualTo(2);
            assertThat(closed.closedAt()).isEqualTo(peer.closedAt());
        });
    }

    @Test
    void aPeerClosingInTheMiddleOfAFrameIsAnOrdinaryClose() {
        Peer peer;
        try (TcpTestClient client = TcpTestClient.connect(port("echo"))) {
            peer = Peers.awaitPeer(registry, client);
            client.sendRaw("half a line".getBytes(StandardCharsets.US_ASCII));
        }
        await().until(() -> peer.closeReason() != null && registry.find(peer.id()).isEmpty());
        assertThat(peer.closeReason()).isEqualTo(CloseReason.PEER);
        assertThat(peer.framesIn()).isZero();
    }

    @Test
    void connectionIdsAreUniqueForTheLifeOfTheProcess() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            try (TcpTestClient client = TcpTestClient.connect(port("echo"))) {
                client.sendLine("id?");
                client.readLine();
                ids.add(Peers.of(registry, client).id());
            }
        }
        assertThat(ids).hasSize(50);
    }

    private void awaitPeers(String listener, int count) {
        await().until(() -> registrar.listener(listener).peers().size() == count);
    }
}
